package jp.mamori.server.governance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param dormantDays an account with no sign-in for this many days is proposed as unneeded (2-⑤)
 * @param checkpointHours the access log counts as recorded when a checkpoint was signed within this
 *     many hours (2-⑥)
 * @param form the institution's own sheet: MEDICAL (hospitals and clinics) or PHARMACY
 */
@ConfigurationProperties("mamori.governance")
record GovernanceSettings(
        @DefaultValue("90") int dormantDays,
        @DefaultValue("24") int checkpointHours,
        @DefaultValue("MEDICAL") Checklist.Form form) {}
