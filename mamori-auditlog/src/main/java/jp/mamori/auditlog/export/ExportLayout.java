package jp.mamori.auditlog.export;

/** File names inside an export directory; docs/audit-log-format.md describes each. */
final class ExportLayout {
    static final String EVENTS = "events.ndjson";
    static final String CHECKPOINTS = "checkpoints";
    static final String VERIFIER_KEY = "verifier-key";
    static final String FORMAT = "FORMAT";
    static final String FORMAT_LINE = "mamori-auditlog-export v1";

    private ExportLayout() {}
}
