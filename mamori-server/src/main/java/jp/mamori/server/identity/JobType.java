package jp.mamori.server.identity;

/** 職種: the kind of work an account does. Message key {@code job.<NAME>}. */
public enum JobType {
    DOCTOR,
    NURSE,
    PHARMACIST,
    TECHNICIAN,
    CLERK,
    IT,
    VENDOR,
    SYSTEM
}
