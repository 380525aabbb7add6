package jp.mamori.server.governance;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The institution's own rules and plans that the guideline asks it to keep current and approved:
 * 運用管理規程 (operations management rules), 情報セキュリティ基本方針, the BCP (事業継続計画) for cyber
 * incidents, 委託管理規程, 教育・訓練計画 and others. A document has versions; each version is an uploaded
 * file, stored and checked like a vendor's documents ({@link VendorDocuments#sha256},
 * {@link VendorDocuments#sniff}). A version counts once someone records its 承認 (approval); the
 * current version is the newest approved one, and it is due for review twelve months after approval
 * unless another day is given.
 */
@Service
class Policies {

    /** What a document is, as the guideline names them. */
    enum Kind {
        /** 運用管理規程 */
        OPERATIONS_RULES,
        /** 情報セキュリティ基本方針 */
        SECURITY_POLICY,
        /** 事業継続計画 (for cyber incidents) */
        BCP,
        /** 委託管理規程 */
        OUTSOURCING_RULES,
        /** 教育・訓練計画 */
        TRAINING_PLAN,
        /** その他 */
        OTHER
    }

    static final int MAX_TITLE = 200;
    static final int REVIEW_MONTHS = 12;

    record Document(long id, Kind kind, String title, List<Version> versions) {

        /** The newest approved version, if any. */
        public Optional<Version> current() {
            return versions.stream().filter(v -> v.approval() != null).findFirst();
        }
    }

    /** A version without its bytes; {@code approval} is its latest approval, if any. */
    record Version(
            long id,
            long documentId,
            String label,
            LocalDate effectiveOn,
            String changeSummary,
            String filename,
            String contentType,
            long sizeBytes,
            String sha256,
            String uploadedByName,
            Instant uploadedAt,
            @Nullable Approval approval) {}

    /** 承認: who approved, as what, on which day, and when the document is next due for review. */
    record Approval(String approverName, String approverTitle, LocalDate approvedOn, LocalDate reviewDue) {}

    /** A new version as submitted. */
    record Upload(String label, LocalDate effectiveOn, String changeSummary, String filename, byte[] content) {}

    record Download(String filename, String contentType, byte[] content, String sha256) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityEvents events;
    private final VendorSettings settings;

    Policies(JdbcClient jdbc, Clock clock, SecurityEvents events, VendorSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.settings = settings;
    }

    /** Files are held to the same size limit as vendors' documents. */
    long maxBytes() {
        return settings.maxDocumentSize().toBytes();
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(Answers.JAPAN));
    }

    /** Reads the kind and title of a new document. */
    static Kind kind(VendorInput.Fields f, @Nullable String text) {
        if (text == null || text.isBlank()) {
            f.refuse("kind", "policies.error.required", "");
            return Kind.OTHER;
        }
        try {
            return Kind.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            f.refuse("kind", "policies.error.kind", text.strip());
            return Kind.OTHER;
        }
    }

    /**
     * Reads a version's fields and file; the size is checked before the bytes are read. Every
     * problem is reported at once, by field.
     */
    static Upload read(
            VendorInput.Fields f,
            Map<String, String> form,
            @Nullable String filename,
            long size,
            VendorDocuments.ContentSupplier content,
            long maxBytes) {
        String label = f.required("label", 100);
        LocalDate effective = f.date("effectiveOn", true);
        String summary = f.required("changeSummary", VendorInput.MAX_TEXT);
        byte[] bytes = new byte[0];
        if (size <= 0) {
            f.refuse("file", "policies.error.emptyFile", filename == null ? "" : filename);
        } else if (size > maxBytes) {
            f.refuse("file", "policies.error.fileTooLarge", (maxBytes / (1024 * 1024)) + " MB");
        } else {
            bytes = content.get();
        }
        return new Upload(label, effective, summary, VendorDocuments.cleanName(filename), bytes);
    }

    /** A new document with its first version, in one step: a document without a file says nothing. */
    @Transactional
    long create(Kind kind, String title, Upload first, Answers.Person who) {
        long id = jdbc.sql(
                        """
                        INSERT INTO policy_document (kind, title, created_by, created_by_name, created_at)
                        VALUES (?, ?, ?, ?, ?) RETURNING id""")
                .params(kind.name(), title, who.accountId(), who.displayName(), Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "policy_created")
                .detail("policy", id)
                .detail("kind", kind.name())
                .build());
        addVersion(id, first, who);
        return id;
    }

    /** Stores a new version; it does not count until it is approved. */
    @Transactional
    long addVersion(long documentId, Upload u, Answers.Person who) {
        existing(documentId);
        if (u.content().length == 0) {
            throw new VendorInput.Refused(
                    List.of(new VendorInput.Problem("file", "policies.error.emptyFile", u.filename())));
        }
        String sha256 = VendorDocuments.sha256(u.content());
        long id = jdbc.sql(
                        """
                        INSERT INTO policy_version (document_id, label, effective_on, change_summary, filename,
                            content_type, size_bytes, sha256, content, uploaded_by, uploaded_by_name, uploaded_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(
                        documentId,
                        u.label(),
                        Date.valueOf(u.effectiveOn()),
                        u.changeSummary(),
                        u.filename(),
                        VendorDocuments.sniff(u.content()),
                        (long) u.content().length,
                        sha256,
                        u.content(),
                        who.accountId(),
                        who.displayName(),
                        Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "policy_version_uploaded")
                .detail("policy", documentId)
                .detail("version", id)
                .detail("sha256", sha256)
                .build());
        return id;
    }

    /**
     * Records the approval of a version, typed by the person who records it. The approval day may
     * not lie in the future; the review falls due {@value #REVIEW_MONTHS} months later unless a
     * later day is given.
     */
    @Transactional
    void approve(long versionId, Map<String, String> form, Answers.Person who) {
        VendorInput.Fields f = new VendorInput.Fields(form);
        Optional<Long> document = jdbc.sql("SELECT document_id FROM policy_version WHERE id = ?")
                .param(versionId)
                .query(Long.class)
                .optional();
        if (document.isEmpty()) {
            f.refuse("version", "policies.error.noSuchVersion", String.valueOf(versionId));
        }
        String name = f.required("approverName", MAX_TITLE);
        String title = f.required("approverTitle", MAX_TITLE);
        LocalDate approved = f.date("approvedOn", true);
        if (approved != null && approved.isAfter(today())) {
            f.refuse("approvedOn", "policies.error.inFuture", approved.toString());
        }
        LocalDate due = f.date("reviewDue", false);
        if (approved != null && due != null && !due.isAfter(approved)) {
            f.refuse("reviewDue", "policies.error.dueBeforeApproval", due + " ≦ " + approved);
        }
        f.done();
        LocalDate reviewDue = due != null ? due : approved.plusMonths(REVIEW_MONTHS);
        jdbc.sql(
                        """
                        INSERT INTO policy_approval (version_id, approver_name, approver_title, approved_on, review_due,
                            recorded_by, recorded_by_name, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        versionId,
                        name,
                        title,
                        Date.valueOf(approved),
                        Date.valueOf(reviewDue),
                        who.accountId(),
                        who.displayName(),
                        Timestamp.from(clock.instant()))
                .update();
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "policy_version_approved")
                .detail("policy", document.get())
                .detail("version", versionId)
                .build());
    }

    /** Every document with its versions, newest version first. */
    List<Document> all() {
        List<Version> versions = jdbc.sql(
                        """
                        SELECT v.id, v.document_id, v.label, v.effective_on, v.change_summary, v.filename,
                            v.content_type, v.size_bytes, v.sha256, v.uploaded_by_name, v.uploaded_at,
                            a.approver_name, a.approver_title, a.approved_on, a.review_due
                        FROM policy_version v
                        LEFT JOIN LATERAL (SELECT * FROM policy_approval x WHERE x.version_id = v.id
                            ORDER BY x.id DESC LIMIT 1) a ON TRUE
                        ORDER BY v.id DESC""")
                .query(Policies::mapVersion)
                .list();
        List<Document> documents = new ArrayList<>();
        jdbc.sql("SELECT id, kind, title FROM policy_document ORDER BY kind, id")
                .query((rs, n) -> {
                    long id = rs.getLong("id");
                    documents.add(new Document(
                            id,
                            Kind.valueOf(rs.getString("kind")),
                            rs.getString("title"),
                            versions.stream().filter(v -> v.documentId() == id).toList()));
                    return id;
                })
                .list();
        return documents;
    }

    /** The approved 運用管理規程 whose review is due latest, for the checklist's proposal. */
    Optional<Document> operationsRules() {
        return all().stream()
                .filter(d -> d.kind() == Kind.OPERATIONS_RULES && d.current().isPresent())
                .max(java.util.Comparator.comparing(
                        d -> d.current().orElseThrow().approval().reviewDue()));
    }

    /** The version's file, refused if its bytes no longer match their SHA-256. */
    Download download(long versionId) {
        Download d = jdbc.sql("SELECT filename, content_type, content, sha256 FROM policy_version WHERE id = ?")
                .param(versionId)
                .query((rs, n) -> new Download(
                        rs.getString("filename"),
                        rs.getString("content_type"),
                        rs.getBytes("content"),
                        rs.getString("sha256")))
                .optional()
                .orElseThrow(() -> new VendorInput.Refused(List.of(new VendorInput.Problem(
                        "version", "policies.error.noSuchVersion", String.valueOf(versionId)))));
        if (!VendorDocuments.sha256(d.content()).equals(d.sha256())) {
            throw new IllegalStateException("Policy version " + versionId + " no longer matches its SHA-256");
        }
        return d;
    }

    private void existing(long documentId) {
        int found = jdbc.sql("SELECT count(*) FROM policy_document WHERE id = ?")
                .param(documentId)
                .query(Integer.class)
                .single();
        if (found == 0) {
            throw new VendorInput.Refused(List.of(
                    new VendorInput.Problem("document", "policies.error.noSuchDocument", String.valueOf(documentId))));
        }
    }

    private static Version mapVersion(ResultSet rs, int n) throws SQLException {
        Date approved = rs.getDate("approved_on");
        return new Version(
                rs.getLong("id"),
                rs.getLong("document_id"),
                rs.getString("label"),
                rs.getDate("effective_on").toLocalDate(),
                rs.getString("change_summary"),
                rs.getString("filename"),
                rs.getString("content_type"),
                rs.getLong("size_bytes"),
                rs.getString("sha256"),
                rs.getString("uploaded_by_name"),
                rs.getTimestamp("uploaded_at").toInstant(),
                approved == null
                        ? null
                        : new Approval(
                                rs.getString("approver_name"),
                                rs.getString("approver_title"),
                                approved.toLocalDate(),
                                rs.getDate("review_due").toLocalDate()));
    }
}
