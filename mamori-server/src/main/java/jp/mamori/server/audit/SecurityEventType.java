package jp.mamori.server.audit;

/** What happened. The names are stable: they are stored and searched. */
public enum SecurityEventType {
    LOGIN,
    SECOND_FACTOR,
    LOGOUT,
    LOCKOUT,
    UNLOCK,
    TERMINAL_SIGN_IN,
    TERMINAL_DISPLACED,
    TERMINAL_LOCKED,
    BREAK_GLASS_START,
    BREAK_GLASS_REVIEWED,
    FACTOR_ENROLLED,
    FACTOR_REMOVED,
    PASSWORD_CHANGED,
    ACCOUNT_CHANGED,
    ROLE_CHANGED,
    TERMINAL_CHANGED,
    CLIENT_CHANGED,
    SETUP,
    TOKEN_ISSUED,
    ACCESS_DENIED,
    ACCESS_LOG_SEARCH,
    GOVERNANCE_CHANGED
}
