package jp.mamori.server.identity;

/**
 * 情報区分: the kinds of information a role may read or write. Message key {@code category.<NAME>}.
 */
public enum InformationCategory {
    PATIENT_PROFILE,
    CLINICAL_RECORD,
    NURSING_RECORD,
    ORDERS,
    PRESCRIPTION,
    RESULTS,
    IMAGING,
    BILLING,
    ACCESS_LOG,
    BACKUP,
    SYSTEM_ADMIN
}
