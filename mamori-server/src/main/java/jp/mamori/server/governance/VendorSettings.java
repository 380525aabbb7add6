package jp.mamori.server.governance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxDocumentSize the largest MDS/SDS, returned form or policy document file accepted
 * @param documentMaxAgeMonths an MDS/SDS received longer ago than this is to be asked for again
 * @param contractWarningDays a contract ending within this many days is shown as a reminder
 * @param formDueDays the due day proposed when a 事業者確認用 form is sent
 */
@ConfigurationProperties("mamori.governance.vendors")
record VendorSettings(
        @DefaultValue("20MB") DataSize maxDocumentSize,
        @DefaultValue("24") int documentMaxAgeMonths,
        @DefaultValue("60") int contractWarningDays,
        @DefaultValue("30") int formDueDays) {}
