package jp.mamori.server.governance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Files a vendor hands over: its MDS or SDS (製造業者/サービス事業者による医療情報セキュリティ開示書, the
 * JAHIS/JIRA disclosure of how a product or service meets the guideline) per system, and its filled-in
 * 事業者確認用 checklist form per fiscal year. Each file is stored whole with its SHA-256; a new edition
 * is a new row and older ones stay. Someone at the institution reads each and signs it off.
 */
@Service
class VendorDocuments {

    /** What a document is: an MDS (product), an SDS (service), or the returned 事業者確認用 form. */
    enum Kind {
        MDS,
        SDS,
        FORM
    }

    /**
     * A stored document without its bytes.
     *
     * @param system the system it covers, null for the vendor as a whole
     * @param edition the edition as printed, e.g. 第3.1版 or Ver.5.0
     * @param contentType what the bytes are, worked out from the bytes themselves
     * @param current the newest of its kind for its system (or fiscal year)
     */
    record Document(
            long id,
            long vendorId,
            Kind kind,
            @Nullable String system,
            @Nullable Integer fiscalYear,
            String edition,
            LocalDate receivedOn,
            String filename,
            String contentType,
            long sizeBytes,
            String sha256,
            String uploadedByName,
            Instant uploadedAt,
            @Nullable Review review,
            boolean current) {}

    /** A sign-off: who read the document, on which day, with what finding. */
    record Review(LocalDate reviewedOn, String reviewedByName, @Nullable String note) {}

    /** What a person submits with a file. */
    record Upload(
            Kind kind,
            @Nullable String system,
            @Nullable Integer fiscalYear,
            String edition,
            LocalDate receivedOn,
            String filename,
            byte[] content) {}

    record Download(String filename, String contentType, byte[] content, String sha256) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityEvents events;
    private final VendorRegister register;
    private final VendorSettings settings;

    VendorDocuments(
            JdbcClient jdbc, Clock clock, SecurityEvents events, VendorRegister register, VendorSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.register = register;
        this.settings = settings;
    }

    long maxBytes() {
        return settings.maxDocumentSize().toBytes();
    }

    /**
     * Reads the upload form's fields; the file's size is checked before its bytes are read, so an
     * oversized file is refused without holding it.
     */
    static Upload read(
            java.util.Map<String, String> form,
            @Nullable String filename,
            long size,
            ContentSupplier content,
            long maxBytes,
            LocalDate today) {
        VendorInput.Fields f = new VendorInput.Fields(form);
        Kind kind = null;
        String kindText = form.get("kind");
        if (kindText == null || kindText.isBlank()) {
            f.refuse("kind", "vendors.error.required", "");
        } else {
            try {
                kind = Kind.valueOf(kindText.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                f.refuse("kind", "vendors.error.kind", kindText.strip());
            }
        }
        String system = f.optional("system", VendorInput.MAX_NAME);
        Integer fiscalYear = null;
        String year = f.optional("fiscalYear", 4);
        if (year != null) {
            try {
                fiscalYear = Integer.valueOf(year);
            } catch (NumberFormatException e) {
                f.refuse("fiscalYear", "vendors.error.fiscalYear", year);
            }
        }
        String edition = f.required("edition", 100);
        LocalDate received = f.date("receivedOn", true);
        if (received != null && received.isAfter(today)) {
            f.refuse("receivedOn", "vendors.error.inFuture", received.toString());
        }
        byte[] bytes = new byte[0];
        if (size <= 0) {
            f.refuse("file", "vendors.error.emptyFile", filename == null ? "" : filename);
        } else if (size > maxBytes) {
            f.refuse("file", "vendors.error.fileTooLarge", (maxBytes / (1024 * 1024)) + " MB");
        } else {
            bytes = content.get();
        }
        f.done();
        return new Upload(kind, system, fiscalYear, edition, received, cleanName(filename), bytes);
    }

    /** Reads a multipart file's bytes only when they are wanted. */
    interface ContentSupplier {
        byte[] get();
    }

    @Transactional
    long store(long vendorId, Upload u, Answers.Person who) {
        VendorRegister.Vendor vendor = register.existing(vendorId);
        List<VendorInput.Problem> problems = new ArrayList<>();
        String system = u.system();
        if (u.kind() == Kind.FORM) {
            system = null;
            if (u.fiscalYear() == null) {
                problems.add(new VendorInput.Problem("fiscalYear", "vendors.error.required", ""));
            }
        } else if (system != null && !vendor.systems().contains(system)) {
            problems.add(new VendorInput.Problem("system", "vendors.error.noSuchSystem", system));
        }
        if (u.content().length == 0) {
            problems.add(new VendorInput.Problem("file", "vendors.error.emptyFile", u.filename()));
        }
        if (!problems.isEmpty()) {
            throw new VendorInput.Refused(problems);
        }
        String sha256 = sha256(u.content());
        long id = jdbc.sql(
                        """
                        INSERT INTO vendor_document (vendor_id, kind, system, fiscal_year, edition, received_on, filename,
                            content_type, size_bytes, sha256, content, uploaded_by, uploaded_by_name, uploaded_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(
                        vendorId,
                        u.kind().name(),
                        system,
                        u.kind() == Kind.FORM ? u.fiscalYear() : null,
                        u.edition(),
                        Date.valueOf(u.receivedOn()),
                        u.filename(),
                        sniff(u.content()),
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
                .detail("action", "vendor_document_received")
                .detail("vendor", vendorId)
                .detail("document", id)
                .detail("kind", u.kind().name())
                .detail("sha256", sha256)
                .build());
        return id;
    }

    /** The vendor's documents, newest first, each marked whether it is the current one of its kind. */
    List<Document> of(long vendorId) {
        List<Document> all = jdbc.sql(
                        """
                        SELECT d.id, d.vendor_id, d.kind, d.system, d.fiscal_year, d.edition, d.received_on, d.filename,
                            d.content_type, d.size_bytes, d.sha256, d.uploaded_by_name, d.uploaded_at,
                            r.reviewed_on, r.reviewed_by_name, r.note
                        FROM vendor_document d
                        LEFT JOIN LATERAL (SELECT * FROM vendor_document_review x WHERE x.document_id = d.id
                            ORDER BY x.id DESC LIMIT 1) r ON TRUE
                        WHERE d.vendor_id = ?
                        ORDER BY d.received_on DESC, d.id DESC""")
                .param(vendorId)
                .query(VendorDocuments::map)
                .list();
        Set<String> seen = new HashSet<>();
        List<Document> marked = new ArrayList<>();
        for (Document d : all) {
            String key = d.kind() + "/" + (d.kind() == Kind.FORM ? d.fiscalYear() : d.system());
            marked.add(withCurrent(d, seen.add(key)));
        }
        return marked;
    }

    /** Every vendor's documents, for the reminders. */
    List<Document> all() {
        return jdbc.sql(
                        """
                        SELECT d.id, d.vendor_id, d.kind, d.system, d.fiscal_year, d.edition, d.received_on, d.filename,
                            d.content_type, d.size_bytes, d.sha256, d.uploaded_by_name, d.uploaded_at,
                            NULL AS reviewed_on, NULL AS reviewed_by_name, NULL AS note
                        FROM vendor_document d ORDER BY d.received_on DESC, d.id DESC""")
                .query(VendorDocuments::map)
                .list();
    }

    /**
     * The file as it was stored. Its SHA-256 is computed again: bytes that no longer match are not
     * handed out as if they were the vendor's.
     */
    Download download(long vendorId, long documentId) {
        register.existing(vendorId);
        Download d = jdbc.sql(
                        "SELECT filename, content_type, content, sha256 FROM vendor_document WHERE id = ? AND vendor_id = ?")
                .params(documentId, vendorId)
                .query((rs, n) -> new Download(
                        rs.getString("filename"),
                        rs.getString("content_type"),
                        rs.getBytes("content"),
                        rs.getString("sha256")))
                .optional()
                .orElseThrow(() -> new VendorInput.Refused(List.of(new VendorInput.Problem(
                        "document", "vendors.error.noSuchDocument", String.valueOf(documentId)))));
        if (!sha256(d.content()).equals(d.sha256())) {
            throw new IllegalStateException("Vendor document " + documentId + " no longer matches its SHA-256");
        }
        return d;
    }

    /** Signs a document off as read (確認) by the person, on the given day. */
    @Transactional
    void review(
            long vendorId, long documentId, @Nullable LocalDate reviewedOn, @Nullable String note, Answers.Person who) {
        register.existing(vendorId);
        Optional<Long> doc = jdbc.sql("SELECT id FROM vendor_document WHERE id = ? AND vendor_id = ?")
                .params(documentId, vendorId)
                .query(Long.class)
                .optional();
        List<VendorInput.Problem> problems = new ArrayList<>();
        if (doc.isEmpty()) {
            problems.add(
                    new VendorInput.Problem("document", "vendors.error.noSuchDocument", String.valueOf(documentId)));
        }
        LocalDate today = register.today();
        if (reviewedOn == null) {
            problems.add(new VendorInput.Problem("reviewedOn", "vendors.error.required", ""));
        } else if (reviewedOn.isAfter(today)) {
            problems.add(new VendorInput.Problem("reviewedOn", "vendors.error.inFuture", reviewedOn.toString()));
        }
        String cleanNote = note == null || note.isBlank() ? null : note.strip();
        if (cleanNote != null && cleanNote.length() > VendorInput.MAX_TEXT) {
            problems.add(new VendorInput.Problem(
                    "reviewNote", "vendors.error.tooLong", String.valueOf(VendorInput.MAX_TEXT)));
        }
        if (!problems.isEmpty()) {
            throw new VendorInput.Refused(problems);
        }
        jdbc.sql(
                        """
                        INSERT INTO vendor_document_review (document_id, reviewed_on, reviewed_by, reviewed_by_name, note,
                            recorded_at) VALUES (?, ?, ?, ?, ?, ?)""")
                .params(
                        documentId,
                        Date.valueOf(reviewedOn),
                        who.accountId(),
                        who.displayName(),
                        cleanNote,
                        Timestamp.from(clock.instant()))
                .update();
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "vendor_document_reviewed")
                .detail("vendor", vendorId)
                .detail("document", documentId)
                .build());
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the bytes are, from their first bytes (and, for a ZIP, its entry names); the name and the
     * type the browser sent are not trusted. Office files of 97–2003 share one container format and
     * are named as such.
     */
    static String sniff(byte[] b) {
        if (startsWith(b, "%PDF-".getBytes(StandardCharsets.US_ASCII))) {
            return "application/pdf";
        }
        if (startsWith(b, new byte[] {'P', 'K', 3, 4})) {
            return zipKind(b);
        }
        if (startsWith(
                b, new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1
                })) {
            return "application/x-ole-storage";
        }
        if (startsWith(b, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
            return "image/png";
        }
        if (startsWith(b, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return "image/jpeg";
        }
        if (isText(b)) {
            return "text/plain;charset=UTF-8";
        }
        return "application/octet-stream";
    }

    private static String zipKind(byte[] b) {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(b))) {
            ZipEntry e;
            int seen = 0;
            while ((e = zip.getNextEntry()) != null && seen++ < 200) {
                String name = e.getName();
                if (name.startsWith("xl/")) {
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                }
                if (name.startsWith("word/")) {
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // a broken archive is still stored, as what it claims to be at most: a ZIP
        }
        return "application/zip";
    }

    private static boolean isText(byte[] b) {
        for (byte x : b) {
            if (x == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The file's own name without any folder a browser may send, or a neutral name. */
    static String cleanName(@Nullable String name) {
        if (name == null || name.isBlank()) {
            return "document";
        }
        String n = name.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).strip();
        n = n.replaceAll("[\\p{Cntrl}]", "");
        if (n.isEmpty()) {
            return "document";
        }
        return n.length() > 200 ? n.substring(n.length() - 200) : n;
    }

    private static Document withCurrent(Document d, boolean current) {
        return new Document(
                d.id(),
                d.vendorId(),
                d.kind(),
                d.system(),
                d.fiscalYear(),
                d.edition(),
                d.receivedOn(),
                d.filename(),
                d.contentType(),
                d.sizeBytes(),
                d.sha256(),
                d.uploadedByName(),
                d.uploadedAt(),
                d.review(),
                current);
    }

    private static Document map(ResultSet rs, int n) throws SQLException {
        Date reviewed = rs.getDate("reviewed_on");
        int year = rs.getInt("fiscal_year");
        Integer fiscalYear = rs.wasNull() ? null : year;
        return new Document(
                rs.getLong("id"),
                rs.getLong("vendor_id"),
                Kind.valueOf(rs.getString("kind")),
                rs.getString("system"),
                fiscalYear,
                rs.getString("edition"),
                rs.getDate("received_on").toLocalDate(),
                rs.getString("filename"),
                rs.getString("content_type"),
                rs.getLong("size_bytes"),
                rs.getString("sha256"),
                rs.getString("uploaded_by_name"),
                rs.getTimestamp("uploaded_at").toInstant(),
                reviewed == null
                        ? null
                        : new Review(reviewed.toLocalDate(), rs.getString("reviewed_by_name"), rs.getString("note")),
                false);
    }

    /**
     * A stored file as an attachment, with its SHA-256 as an RFC 9530 {@code Repr-Digest} header so
     * that whoever downloads it can check the bytes against what was stored.
     */
    static org.springframework.http.ResponseEntity<byte[]> asDownload(
            String filename, String contentType, String sha256, byte[] content) {
        byte[] digest = java.util.HexFormat.of().parseHex(sha256);
        return org.springframework.http.ResponseEntity.ok()
                .contentType(org.springframework.http.MediaType.parseMediaType(contentType))
                .header(
                        org.springframework.http.HttpHeaders.CONTENT_DISPOSITION,
                        org.springframework.http.ContentDisposition.attachment()
                                .filename(filename, java.nio.charset.StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .header(
                        "Repr-Digest",
                        "sha-256=:" + java.util.Base64.getEncoder().encodeToString(digest) + ":")
                .body(content);
    }
}
