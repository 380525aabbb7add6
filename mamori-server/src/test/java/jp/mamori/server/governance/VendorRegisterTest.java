package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class VendorRegisterTest extends jp.mamori.server.ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    VendorRegister register;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SecurityEvents events;

    private long officerId;

    @Test
    void a_vendor_is_registered_changed_and_every_change_is_kept_with_the_access_log() {
        WebClient web = officer();
        var engineer = fixtures.vendor("vendor-eng", Instant.now().plus(30, ChronoUnit.DAYS));
        String name = "試験電子カルテ株式会社-" + System.nanoTime();
        long id = create(web, name, "電子カルテ\n部門システム", engineer.loginId());
        web.get("/governance/vendors/" + id);
        assertThat(web.last().body()).contains(name).contains("電子カルテ").contains(engineer.loginId());

        // an asset maintained by the vendor (name in another case) is linked
        jdbc.sql(
                        "INSERT INTO asset (name, kind, vendor, updated_at, updated_by_name) VALUES (?, 'SERVER', ?, now(), '試験')")
                .params("試験カルテサーバ-" + id, name.toLowerCase(java.util.Locale.ROOT))
                .update();

        web.post(
                "/governance/vendors/" + id + "/contacts",
                Map.of(
                        "contactName", "試験 保守太郎",
                        "role", "保守窓口",
                        "phone", "０３－００００－００００",
                        "email", "hoshu@example.invalid",
                        "emergency", "true",
                        "aroundTheClock", "true"));
        assertThat(web.last().statusCode()).isEqualTo(200);
        web.post(
                "/governance/vendors/" + id + "/contracts",
                Map.of(
                        "title", "保守契約",
                        "validFrom", "2025-04-01",
                        "validTo", "2026/3/31",
                        "securityClauses", "true",
                        "remoteMaintenance", "true",
                        "dataHandled", "診療録"));
        assertThat(web.last().statusCode()).isEqualTo(200);

        var vendor = register.existing(id);
        assertThat(vendor.contacts()).singleElement().satisfies(c -> {
            assertThat(c.phone()).isEqualTo("03-0000-0000");
            assertThat(c.emergency()).isTrue();
        });
        assertThat(vendor.contracts()).singleElement().satisfies(c -> {
            assertThat(c.validTo()).isEqualTo(java.time.LocalDate.of(2026, 3, 31));
            assertThat(c.securityClauses()).isTrue();
        });
        long contractId = vendor.contracts().get(0).id();
        web.post(
                "/governance/vendors/" + id + "/contracts",
                Map.of(
                        "contractId", String.valueOf(contractId),
                        "title", "保守契約(更新)",
                        "validFrom", "2025-04-01",
                        "validTo", "2027-03-31",
                        "securityClauses", "true"));
        assertThat(register.existing(id).contracts()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(contractId);
            assertThat(c.title()).isEqualTo("保守契約(更新)");
            assertThat(c.validTo()).isEqualTo(java.time.LocalDate.of(2027, 3, 31));
            assertThat(c.remoteMaintenance()).isFalse();
        });
        web.get("/governance/vendors/" + id);
        assertThat(web.last().body())
                .contains("試験カルテサーバ-" + id)
                .contains("03-0000-0000")
                .contains("保守契約");

        Map<String, String> change = new HashMap<>();
        change.put("id", String.valueOf(id));
        change.put("name", name);
        change.put("address", "東京都試験区1-1");
        change.put("systems", "電子カルテ");
        web.post("/governance/vendors", change);
        assertThat(register.existing(id).address()).isEqualTo("東京都試験区1-1");
        long contactId = register.existing(id).contacts().get(0).id();
        web.post("/governance/vendors/" + id + "/contacts/" + contactId + "/remove", Map.of());
        assertThat(register.existing(id).contacts()).isEmpty();

        var history = register.history(id);
        assertThat(history)
                .extracting(VendorRegister.Change::action)
                .containsExactly(
                        "CONTACT_REMOVED", "CHANGED", "CONTRACT_CHANGED", "CONTRACT_ADDED", "CONTACT_ADDED", "CREATED");
        assertThat(history.get(2).snapshot().get("連絡先").toString())
                .contains("試験 保守太郎")
                .contains("緊急連絡先");
        assertThat(history.get(0).snapshot().get("連絡先")).isEqualTo("");
        assertThat(history.get(0).snapshot().get("所在地")).isEqualTo("東京都試験区1-1");

        assertThat(events.latestOf(officerId, 50))
                .filteredOn(e -> e.type() == SecurityEventType.GOVERNANCE_CHANGED
                        && String.valueOf(id).equals(e.detail().get("vendor")))
                .extracting(e -> e.detail().get("action"))
                .containsExactly(
                        "vendor_contact_removed",
                        "vendor_changed",
                        "vendor_contract_changed",
                        "vendor_contract_added",
                        "vendor_contact_added",
                        "vendor_created");

        // the history cannot be rewritten, even with the database's own credentials
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> jdbc.sql("UPDATE vendor_history SET changed_by_name = 'x' WHERE vendor_id = ?")
                                .param(id)
                                .update())
                .hasMessageContaining("cannot be changed");

        // auditors read but cannot change
        WebClient auditor = signIn(fixtures.user("auditor-vendor", JobType.IT, "AUDITOR"));
        auditor.get("/governance/vendors/" + id);
        assertThat(auditor.last().statusCode()).isEqualTo(200);
        assertThat(auditor.last().body()).contains(name).doesNotContain("contact-form");
        auditor.post("/governance/vendors", Map.of("name", "監査人が追加-" + id));
        assertThat(auditor.last().statusCode()).isEqualTo(403);
    }

    @Test
    void bad_forms_are_refused_field_by_field_and_store_nothing() {
        WebClient web = officer();
        int before = register.count();
        var refused = web.post(
                "/governance/vendors",
                Map.of("name", "  ", "corporateNumber", "1234567890123", "accounts", "nobody-" + System.nanoTime()));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("「事業者名」は必須です。").contains("「法人番号」の「1234567890123」は法人番号として正しくありません");
        assertThat(register.count()).isEqualTo(before);

        String name = "試験保守株式会社-" + System.nanoTime();
        var unknownAccount = web.post("/governance/vendors", Map.of("name", name, "accounts", "ghost-vendor-1"));
        assertThat(unknownAccount.statusCode()).isEqualTo(400);
        assertThat(unknownAccount.body()).contains("ログインID「ghost-vendor-1」の事業者アカウントはMamoriにありません。");
        assertThat(register.count()).isEqualTo(before);

        // a valid corporate number: check digit 9 - (weighted sum mod 9)
        long id = create(web, name, "", "", "6012345678901");
        assertThat(register.existing(id).corporateNumber()).isEqualTo("6012345678901");
        var duplicate = web.post("/governance/vendors", Map.of("name", name.toUpperCase(java.util.Locale.ROOT)));
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(duplicate.body()).contains("はすでに台帳にあります");

        var badContact = web.post(
                "/governance/vendors/" + id + "/contacts",
                Map.of("contactName", "試験 花子", "phone", "03-12", "email", "not-an-address", "emergency", "true"));
        assertThat(badContact.statusCode()).isEqualTo(400);
        assertThat(badContact.body())
                .contains("「電話番号」の「03-12」は電話番号として読めません")
                .contains("「メールアドレス」の「not-an-address」はメールアドレスとして読めません");
        var otherContact = web.post(
                "/governance/vendors/" + id + "/contacts",
                Map.of("contactId", "99999999", "contactName", "試験 花子", "phone", "03-0000-0000"));
        assertThat(otherContact.statusCode()).isEqualTo(400);
        assertThat(otherContact.body()).contains("連絡先 99999999 はこの事業者にありません。");
        var emergencyByMail = web.post(
                "/governance/vendors/" + id + "/contacts",
                Map.of("contactName", "試験 花子", "email", "hanako@example.invalid", "emergency", "true"));
        assertThat(emergencyByMail.body()).contains("緊急連絡先には電話番号が必要です。");

        var badContract = web.post(
                "/governance/vendors/" + id + "/contracts",
                Map.of("title", "保守契約", "validFrom", "2025-13-01", "validTo", "2025-04-01"));
        assertThat(badContract.statusCode()).isEqualTo(400);
        assertThat(badContract.body()).contains("「契約開始日」の「2025-13-01」は日付として読めません");
        var backwards = web.post(
                "/governance/vendors/" + id + "/contracts",
                Map.of("title", "保守契約", "validFrom", "2026-04-01", "validTo", "2025-04-01"));
        assertThat(backwards.body()).contains("「契約終了日」が契約開始日より前です");
        assertThat(register.existing(id).contacts()).isEmpty();
        assertThat(register.existing(id).contracts()).isEmpty();
        assertThat(register.history(id)).hasSize(1);

        var missing = web.get("/governance/vendors/99999999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("事業者 99999999 は台帳にありません。");
        web.get("/governance/vendors");
        var missingContact = web.post("/governance/vendors/99999999/contacts", Map.of("contactName", "x"));
        assertThat(missingContact.statusCode()).isEqualTo(404);
    }

    @Test
    void the_corporate_number_check_digit_is_the_national_tax_agencys() {
        // the check digit of 12 digits 0...0 is 9; a changed digit is caught
        assertThat(VendorInput.validCorporateNumber("9000000000000")).isTrue();
        assertThat(VendorInput.validCorporateNumber("6012345678901")).isTrue();
        assertThat(VendorInput.validCorporateNumber("6012345678902")).isFalse();
        assertThat(VendorInput.validCorporateNumber("801234567890")).isFalse();
    }

    private long create(WebClient web, String name, String systems, String accounts) {
        return create(web, name, systems, accounts, "");
    }

    private long create(WebClient web, String name, String systems, String accounts, String corporateNumber) {
        web.get("/governance/vendors");
        web.post(
                "/governance/vendors",
                Map.of("name", name, "systems", systems, "accounts", accounts, "corporateNumber", corporateNumber));
        assertThat(web.last().statusCode()).isEqualTo(200);
        String path = web.path();
        assertThat(path).startsWith("/governance/vendors/");
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    }

    private WebClient officer() {
        var officer = fixtures.user("so-vendor", JobType.IT, "SECURITY_OFFICER");
        officerId = officer.id();
        WebClient web = signIn(officer);
        web.get("/governance/vendors");
        return web;
    }
}
