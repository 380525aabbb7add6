package jp.mamori.server.governance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param accountReviewMonths an account review (アカウント棚卸し) is due this many months after the
 *     day of the last one signed off
 */
@ConfigurationProperties("mamori.governance")
record AccountReviewSettings(@DefaultValue("6") int accountReviewMonths) {}
