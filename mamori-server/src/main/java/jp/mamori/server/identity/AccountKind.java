package jp.mamori.server.identity;

/** Staff of the institution, a vendor's engineer (with an expiry date), or a system account. */
public enum AccountKind {
    STAFF,
    VENDOR,
    SYSTEM
}
