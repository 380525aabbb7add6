package jp.mamori.server.governance;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.AccountFacts;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The vendor register: the companies that supply and maintain the institution's systems
 * (医療情報システム等の提供事業者), whom to call when something happens (緊急連絡先), what the contracts
 * say about security (契約書に安全管理に関する条項) and remote maintenance, and which systems each
 * supplies. The guideline leaves the institution responsible for its vendors; this is where it keeps
 * what it knows of them. Every change is kept whole in {@code vendor_history}.
 */
@Service
class VendorRegister {

    /**
     * @param systems the systems the vendor supplies, one per line as the person typed them
     * @param accountLoginIds the vendor's engineers' accounts in Mamori (login IDs)
     */
    record Vendor(
            long id,
            String name,
            @Nullable String corporateNumber,
            @Nullable String address,
            List<String> systems,
            List<String> accountLoginIds,
            Instant updatedAt,
            String updatedByName,
            List<Contact> contacts,
            List<Contract> contracts) {

        public List<Contact> emergencyContacts() {
            return contacts.stream().filter(Contact::emergency).toList();
        }
    }

    /** What a person enters for a vendor. */
    record Details(
            String name,
            @Nullable String corporateNumber,
            @Nullable String address,
            List<String> systems,
            List<String> accountLoginIds) {}

    /**
     * A person to call at the vendor.
     *
     * @param emergency 緊急連絡先: called when an incident happens, drawn on the 連絡体制図
     * @param aroundTheClock reachable 24 hours a day
     */
    record Contact(
            long id,
            String name,
            @Nullable String role,
            @Nullable String phone,
            @Nullable String email,
            boolean emergency,
            boolean aroundTheClock) {}

    /**
     * A contract with the vendor.
     *
     * @param validTo null when the contract runs until cancelled
     * @param securityClauses the contract has clauses on security (安全管理に関する条項)
     * @param remoteMaintenance the contract permits remote maintenance (リモートメンテナンス)
     * @param dataHandled which medical information the vendor handles under it
     */
    record Contract(
            long id,
            String title,
            LocalDate validFrom,
            @Nullable LocalDate validTo,
            boolean securityClauses,
            boolean remoteMaintenance,
            @Nullable String dataHandled) {

        public boolean inForceOn(LocalDate day) {
            return !day.isBefore(validFrom) && (validTo == null || !day.isAfter(validTo));
        }
    }

    record Change(long id, String action, String changedByName, Instant changedAt, Map<String, Object> snapshot) {}

    /** An asset of the register whose maintenance vendor is this vendor. */
    record AssetLink(long id, String name, String kind) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityEvents events;
    private final AccountFacts accounts;
    private final JsonMapper json = JsonMapper.builder().build();

    VendorRegister(JdbcClient jdbc, Clock clock, SecurityEvents events, AccountFacts accounts) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.accounts = accounts;
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(Answers.JAPAN));
    }

    List<Vendor> all() {
        Map<Long, List<Contact>> contacts = contactsByVendor(null);
        Map<Long, List<Contract>> contracts = contractsByVendor(null);
        return jdbc.sql("SELECT * FROM vendor ORDER BY lower(name)")
                .query((rs, n) -> map(rs, contacts, contracts))
                .list();
    }

    Optional<Vendor> byId(long id) {
        Map<Long, List<Contact>> contacts = contactsByVendor(id);
        Map<Long, List<Contract>> contracts = contractsByVendor(id);
        return jdbc.sql("SELECT * FROM vendor WHERE id = ?")
                .param(id)
                .query((rs, n) -> map(rs, contacts, contracts))
                .optional();
    }

    /** The vendor, or a refusal that names the id that is not in the register. */
    Vendor existing(long id) {
        return byId(id).orElseThrow(() -> new NoSuchVendor(id));
    }

    int count() {
        return jdbc.sql("SELECT count(*) FROM vendor").query(Integer.class).single();
    }

    /** Creates ({@code id} null) or changes a vendor's own details. */
    @Transactional
    long save(@Nullable Long id, Details d, Answers.Person who) {
        List<VendorInput.Problem> problems = new ArrayList<>();
        Optional<Long> sameName = jdbc.sql("SELECT id FROM vendor WHERE lower(name) = lower(?)")
                .param(d.name())
                .query(Long.class)
                .optional();
        if (sameName.isPresent() && !sameName.get().equals(id)) {
            problems.add(new VendorInput.Problem("name", "vendors.error.duplicateName", d.name()));
        }
        Set<String> vendorLogins = accounts.vendorAccounts().stream()
                .map(a -> a.loginId().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        for (String login : d.accountLoginIds()) {
            if (!vendorLogins.contains(login.toLowerCase(Locale.ROOT))) {
                problems.add(new VendorInput.Problem("accounts", "vendors.error.noSuchVendorAccount", login));
            }
        }
        if (!problems.isEmpty()) {
            throw new VendorInput.Refused(problems);
        }
        Instant now = clock.instant();
        long saved;
        if (id == null) {
            saved = jdbc.sql(
                            """
                            INSERT INTO vendor (name, corporate_number, address, systems, account_login_ids,
                                updated_at, updated_by_name)
                            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                    .params(
                            d.name(),
                            d.corporateNumber(),
                            d.address(),
                            lines(d.systems()),
                            lines(d.accountLoginIds()),
                            Timestamp.from(now),
                            who.displayName())
                    .query(Long.class)
                    .single();
        } else {
            existing(id);
            jdbc.sql(
                            """
                            UPDATE vendor SET name = ?, corporate_number = ?, address = ?, systems = ?,
                                account_login_ids = ?, updated_at = ?, updated_by_name = ? WHERE id = ?""")
                    .params(
                            d.name(),
                            d.corporateNumber(),
                            d.address(),
                            lines(d.systems()),
                            lines(d.accountLoginIds()),
                            Timestamp.from(now),
                            who.displayName(),
                            id)
                    .update();
            saved = id;
        }
        recordChange(saved, id == null ? "CREATED" : "CHANGED", who);
        return saved;
    }

    /** Adds ({@code contactId} null) or changes a contact of the vendor. */
    @Transactional
    void saveContact(long vendorId, @Nullable Long contactId, Contact c, Answers.Person who) {
        existing(vendorId);
        if (contactId == null) {
            jdbc.sql(
                            """
                            INSERT INTO vendor_contact (vendor_id, name, role, phone, email, emergency, around_the_clock)
                            VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(vendorId, c.name(), c.role(), c.phone(), c.email(), c.emergency(), c.aroundTheClock())
                    .update();
        } else {
            int changed = jdbc.sql(
                            """
                            UPDATE vendor_contact SET name = ?, role = ?, phone = ?, email = ?, emergency = ?,
                                around_the_clock = ? WHERE id = ? AND vendor_id = ?""")
                    .params(
                            c.name(),
                            c.role(),
                            c.phone(),
                            c.email(),
                            c.emergency(),
                            c.aroundTheClock(),
                            contactId,
                            vendorId)
                    .update();
            if (changed == 0) {
                throw new VendorInput.Refused(List.of(
                        new VendorInput.Problem("contact", "vendors.error.noSuchContact", String.valueOf(contactId))));
            }
        }
        recordChange(vendorId, contactId == null ? "CONTACT_ADDED" : "CONTACT_CHANGED", who);
    }

    @Transactional
    void removeContact(long vendorId, long contactId, Answers.Person who) {
        removeEntry("vendor_contact", "contact", "vendors.error.noSuchContact", vendorId, contactId);
        recordChange(vendorId, "CONTACT_REMOVED", who);
    }

    /** Adds ({@code contractId} null) or changes a contract with the vendor. */
    @Transactional
    void saveContract(long vendorId, @Nullable Long contractId, Contract c, Answers.Person who) {
        existing(vendorId);
        if (contractId == null) {
            jdbc.sql(
                            """
                            INSERT INTO vendor_contract (vendor_id, title, valid_from, valid_to, security_clauses,
                                remote_maintenance, data_handled)
                            VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            vendorId,
                            c.title(),
                            Date.valueOf(c.validFrom()),
                            c.validTo() == null ? null : Date.valueOf(c.validTo()),
                            c.securityClauses(),
                            c.remoteMaintenance(),
                            c.dataHandled())
                    .update();
        } else {
            int changed = jdbc.sql(
                            """
                            UPDATE vendor_contract SET title = ?, valid_from = ?, valid_to = ?, security_clauses = ?,
                                remote_maintenance = ?, data_handled = ? WHERE id = ? AND vendor_id = ?""")
                    .params(
                            c.title(),
                            Date.valueOf(c.validFrom()),
                            c.validTo() == null ? null : Date.valueOf(c.validTo()),
                            c.securityClauses(),
                            c.remoteMaintenance(),
                            c.dataHandled(),
                            contractId,
                            vendorId)
                    .update();
            if (changed == 0) {
                throw new VendorInput.Refused(List.of(new VendorInput.Problem(
                        "contract", "vendors.error.noSuchContract", String.valueOf(contractId))));
            }
        }
        recordChange(vendorId, contractId == null ? "CONTRACT_ADDED" : "CONTRACT_CHANGED", who);
    }

    @Transactional
    void removeContract(long vendorId, long contractId, Answers.Person who) {
        removeEntry("vendor_contract", "contract", "vendors.error.noSuchContract", vendorId, contractId);
        recordChange(vendorId, "CONTRACT_REMOVED", who);
    }

    /** Deletes one of the vendor's contacts or contracts; refused, naming it, if the vendor has no such entry. */
    private void removeEntry(String table, String field, String noSuch, long vendorId, long entryId) {
        existing(vendorId);
        int removed = jdbc.sql("DELETE FROM " + table + " WHERE id = ? AND vendor_id = ?")
                .params(entryId, vendorId)
                .update();
        if (removed == 0) {
            throw new VendorInput.Refused(List.of(new VendorInput.Problem(field, noSuch, String.valueOf(entryId))));
        }
    }

    /** Every change of the vendor, newest first, each with the vendor as it stood after it. */
    List<Change> history(long vendorId) {
        return jdbc.sql("SELECT * FROM vendor_history WHERE vendor_id = ? ORDER BY id DESC")
                .param(vendorId)
                .query((rs, n) -> new Change(
                        rs.getLong("id"),
                        rs.getString("action"),
                        rs.getString("changed_by_name"),
                        rs.getTimestamp("changed_at").toInstant(),
                        snapshot(rs.getString("snapshot"))))
                .list();
    }

    /** Assets of the register whose maintenance vendor (保守業者) is written as this vendor's name. */
    List<AssetLink> assetsOf(Vendor v) {
        return jdbc.sql("SELECT id, name, kind FROM asset WHERE lower(btrim(vendor)) = lower(btrim(?)) ORDER BY name")
                .param(v.name())
                .query((rs, n) -> new AssetLink(rs.getLong("id"), rs.getString("name"), rs.getString("kind")))
                .list();
    }

    /** The identity module's accounts named on the vendor, as they stand now. */
    List<AccountFacts.VendorAccount> accountsOf(Vendor v) {
        Set<String> named = v.accountLoginIds().stream()
                .map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return accounts.vendorAccounts().stream()
                .filter(a -> named.contains(a.loginId().toLowerCase(Locale.ROOT)))
                .toList();
    }

    private void recordChange(long vendorId, String action, Answers.Person who) {
        Vendor v = existing(vendorId);
        jdbc.sql(
                        """
                        INSERT INTO vendor_history (vendor_id, action, snapshot, changed_by, changed_by_name, changed_at)
                        VALUES (?, ?, ?::jsonb, ?, ?, ?)""")
                .params(
                        vendorId,
                        action,
                        json.writeValueAsString(snapshotOf(v)),
                        who.accountId(),
                        who.displayName(),
                        Timestamp.from(clock.instant()))
                .update();
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "vendor_" + action.toLowerCase(Locale.ROOT))
                .detail("vendor", vendorId)
                .build());
    }

    /** The vendor as it stands, in words a reader of the history understands without the schema. */
    private static Map<String, Object> snapshotOf(Vendor v) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("名称", v.name());
        s.put("法人番号", v.corporateNumber() == null ? "" : v.corporateNumber());
        s.put("所在地", v.address() == null ? "" : v.address());
        s.put("提供システム", String.join("、", v.systems()));
        s.put("アカウント", String.join("、", v.accountLoginIds()));
        s.put(
                "連絡先",
                v.contacts().stream()
                        .map(c -> c.name()
                                + (c.role() == null ? "" : "(" + c.role() + ")")
                                + (c.phone() == null ? "" : " " + c.phone())
                                + (c.email() == null ? "" : " " + c.email())
                                + (c.emergency() ? " 緊急連絡先" : "")
                                + (c.aroundTheClock() ? " 24時間" : ""))
                        .collect(Collectors.joining("、")));
        s.put(
                "契約",
                v.contracts().stream()
                        .map(c -> c.title() + " " + c.validFrom() + "〜" + (c.validTo() == null ? "" : c.validTo())
                                + (c.securityClauses() ? " 安全管理条項あり" : " 安全管理条項なし")
                                + (c.remoteMaintenance() ? " リモート保守可" : "")
                                + (c.dataHandled() == null ? "" : " 取扱情報:" + c.dataHandled()))
                        .collect(Collectors.joining("、")));
        return s;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> snapshot(String text) {
        return json.readValue(text, LinkedHashMap.class);
    }

    private Map<Long, List<Contact>> contactsByVendor(@Nullable Long vendorId) {
        return jdbc
                .sql("SELECT * FROM vendor_contact" + (vendorId == null ? "" : " WHERE vendor_id = " + vendorId)
                        + " ORDER BY emergency DESC, id")
                .query((rs, n) -> Map.entry(
                        rs.getLong("vendor_id"),
                        new Contact(
                                rs.getLong("id"),
                                rs.getString("name"),
                                rs.getString("role"),
                                rs.getString("phone"),
                                rs.getString("email"),
                                rs.getBoolean("emergency"),
                                rs.getBoolean("around_the_clock"))))
                .list()
                .stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    private Map<Long, List<Contract>> contractsByVendor(@Nullable Long vendorId) {
        return jdbc
                .sql("SELECT * FROM vendor_contract" + (vendorId == null ? "" : " WHERE vendor_id = " + vendorId)
                        + " ORDER BY valid_from DESC, id")
                .query((rs, n) -> {
                    Date to = rs.getDate("valid_to");
                    return Map.entry(
                            rs.getLong("vendor_id"),
                            new Contract(
                                    rs.getLong("id"),
                                    rs.getString("title"),
                                    rs.getDate("valid_from").toLocalDate(),
                                    to == null ? null : to.toLocalDate(),
                                    rs.getBoolean("security_clauses"),
                                    rs.getBoolean("remote_maintenance"),
                                    rs.getString("data_handled")));
                })
                .list()
                .stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    private static Vendor map(ResultSet rs, Map<Long, List<Contact>> contacts, Map<Long, List<Contract>> contracts)
            throws SQLException {
        long id = rs.getLong("id");
        return new Vendor(
                id,
                rs.getString("name"),
                rs.getString("corporate_number"),
                rs.getString("address"),
                split(rs.getString("systems")),
                split(rs.getString("account_login_ids")),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getString("updated_by_name"),
                contacts.getOrDefault(id, List.of()),
                contracts.getOrDefault(id, List.of()));
    }

    private static @Nullable String lines(List<String> values) {
        return values.isEmpty() ? null : String.join("\n", values);
    }

    private static List<String> split(@Nullable String text) {
        return text == null
                ? List.of()
                : Arrays.stream(text.split("\n")).filter(s -> !s.isBlank()).toList();
    }

    /** A vendor id that is not in the register. */
    static final class NoSuchVendor extends RuntimeException {
        final long id;

        NoSuchVendor(long id) {
            super("No vendor " + id + " in the register");
            this.id = id;
        }
    }
}
