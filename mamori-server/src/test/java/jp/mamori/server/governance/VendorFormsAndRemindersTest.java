package jp.mamori.server.governance;

import static jp.mamori.server.governance.VendorDocumentsTest.fields;
import static jp.mamori.server.governance.VendorDocumentsTest.upload;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.TestPager;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class VendorFormsAndRemindersTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    VendorRegister register;

    @Autowired
    VendorForms forms;

    @Autowired
    VendorReminders reminders;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void the_vendor_form_goes_from_not_sent_to_overdue_to_received_and_bad_dates_store_nothing() {
        WebClient web = officer();
        long id = vendor(web, "試験検査システム株式会社-" + System.nanoTime(), "検査システム");
        LocalDate today = register.today();
        int year = VendorForms.fiscalYearOf(today);
        String page = "/governance/vendors/" + id + "/forms/" + year;
        web.get(page);
        assertThat(web.last().body()).contains("id=\"form-status\">未送付<");

        web.post(
                page,
                Map.of(
                        "sentOn",
                        today.minusDays(40).toString(),
                        "dueOn",
                        today.minusDays(10).toString()));
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(web.last().body()).contains("id=\"form-status\">期限超過<");
        assertThat(forms.current(id, year).orElseThrow().statusOn(today)).isEqualTo(VendorForms.Status.OVERDUE);
        web.get("/governance/vendors");
        assertThat(web.last().body())
                .contains("事業者確認用(" + VendorForms.label(year) + ")が回収期限 " + today.minusDays(10) + " を過ぎても回収されていません。");

        var early = web.post(
                page,
                Map.of(
                        "sentOn", today.minusDays(40).toString(),
                        "dueOn", today.minusDays(50).toString(),
                        "receivedOn", today.minusDays(41).toString()));
        assertThat(early.statusCode()).isEqualTo(400);
        assertThat(early.body()).contains("「回収期限」が送付日より前です").contains("「受領日」が送付日より前です");
        var future = web.post(
                page,
                Map.of(
                        "sentOn",
                        today.minusDays(40).toString(),
                        "receivedOn",
                        today.plusDays(1).toString()));
        assertThat(future.body()).contains("「受領日」の " + today.plusDays(1) + " は未来の日付です。");
        var notSent = web.post(page, Map.of("dueOn", today.toString()));
        assertThat(notSent.body()).contains("送付日がないまま、回収期限や回収日は記録できません。");
        var garbage = web.post(page, Map.of("sentOn", "きのう"));
        assertThat(garbage.body()).contains("「送付日」の「きのう」は日付として読めません");
        assertThat(forms.history(id, year)).hasSize(1);

        web.post(
                page,
                Map.of(
                        "sentOn", today.minusDays(40).toString(),
                        "dueOn", today.minusDays(10).toString(),
                        "receivedOn", today.toString(),
                        "note", "郵送で回収"));
        assertThat(web.last().body()).contains("id=\"form-status\">回収済<");
        assertThat(forms.history(id, year)).hasSize(2);
        assertThat(reminders.of(id))
                .extracting(VendorReminders.Reminder::kind)
                .doesNotContain(VendorReminders.Kind.FORM_OVERDUE);

        // next year's form: sent today without a due day, so it is due 30 days later
        String next = "/governance/vendors/" + id + "/forms/" + (year + 1);
        web.post(next, Map.of("sentOn", today.toString()));
        var sent = forms.current(id, year + 1).orElseThrow();
        assertThat(sent.dueOn()).isEqualTo(today.plusDays(30));
        assertThat(sent.statusOn(today)).isEqualTo(VendorForms.Status.SENT);
        clock.advance(Duration.ofDays(31));
        assertThat(reminders.of(id))
                .filteredOn(r -> r.kind() == VendorReminders.Kind.FORM_OVERDUE)
                .extracting(VendorReminders.Reminder::subject)
                .containsExactly(VendorForms.label(year + 1));
        web.get("/governance/vendors/" + id);
        assertThat(web.last().body()).contains("期限超過");
    }

    @Test
    void the_vendors_answers_are_recorded_per_item_of_the_vendor_sheet() throws Exception {
        WebClient web = officer();
        long id = vendor(web, "試験調剤システム株式会社-" + System.nanoTime(), "調剤システム");
        String page = "/governance/vendors/" + id + "/forms/2025";
        web.get(page);
        assertThat(web.last().body()).contains("医療機関に製造業者/サービス事業者による医療情報セキュリティ開示書(MDS/SDS)を提出した。");

        Map<String, String> replies = new HashMap<>();
        replies.put("cell:2-③/NONE", "YES");
        replies.put("cell:2-⑦/ALL", "NO");
        replies.put("cell:2-⑧/ALL", "");
        web.post(page + "/answers", replies);
        assertThat(web.last().statusCode()).isEqualTo(200);
        var answers = forms.answers(id, 2025);
        assertThat(answers).containsOnlyKeys("2-③/NONE", "2-⑦/ALL");
        assertThat(answers.get("2-⑦/ALL").reply()).isEqualTo(Answers.Reply.NO);
        assertThat(answers.get("2-③/NONE").sheetYear()).isEqualTo(2025);

        var bad = web.post(page + "/answers", Map.of("cell:9-⑨/ALL", "YES", "cell:2-③/NONE", "たぶん"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("「9-⑨/ALL」は事業者確認用の項目ではありません。").contains("「2-③/NONE = たぶん」は はい/いいえ として読めません。");
        assertThat(forms.answers(id, 2025).get("2-③/NONE").reply()).isEqualTo(Answers.Reply.YES);

        // the same reply again adds no row; a changed one does
        assertThat(forms.recordAnswers(id, 2025, Map.of("2-③/NONE", "YES", "2-⑦/ALL", "YES"), person()))
                .isEqualTo(1);

        // the returned form itself, as a file of the year
        byte[] returned = "%PDF-1.4\n% 事業者確認用 回答済み\n".getBytes(StandardCharsets.UTF_8);
        var r = VendorDocumentsTest.upload(web, id, Map.of(), "form.pdf", returned);
        assertThat(r.statusCode()).isEqualTo(400); // a file posted to the MDS/SDS form needs a kind
        web.get(page);
        var file = postFormFile(web, page + "/file", returned);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).contains("form.pdf").contains(VendorDocumentsTest.sha256(returned));
    }

    @Test
    void reminders_come_from_the_rows_and_are_announced_once_a_day() throws Exception {
        WebClient web = officer();
        String name = "試験画像診断株式会社-" + System.nanoTime();
        long id = vendor(web, name, "検査システム\n画像システム");
        LocalDate today = register.today();
        web.post(
                "/governance/vendors/" + id + "/contracts",
                Map.of(
                        "title",
                        "保守契約",
                        "validFrom",
                        today.minusYears(1).toString(),
                        "validTo",
                        today.plusDays(20).toString(),
                        "securityClauses",
                        "true"));
        upload(
                web,
                id,
                fields("MDS", "検査システム", "第2.0版", today.minusMonths(30).toString()),
                "old.pdf",
                "%PDF-1.4 old".getBytes(StandardCharsets.US_ASCII));

        assertThat(reminders.of(id))
                .extracting(r -> r.kind() + ":" + r.subject())
                .containsExactlyInAnyOrder(
                        "DOCUMENT_OLD:検査システム",
                        "DOCUMENT_MISSING:画像システム",
                        "CONTRACT_EXPIRING:保守契約",
                        "NO_EMERGENCY_CONTACT:");
        web.get("/governance/vendors");
        assertThat(web.last().body())
                .contains("「" + name + "」の契約「保守契約」が " + today.plusDays(20) + " に終了します。")
                .contains("「" + name + "」画像システム のMDS/SDSを受け取っていません。")
                .contains("「" + name + "」検査システム のMDS/SDSは " + today.minusMonths(30) + " の受領で、24か月より古くなっています。")
                .contains("「" + name + "」に緊急連絡先がありません。");
        web.get("/");
        assertThat(web.last().body()).contains("事業者の未対応事項");

        // announced once a day: a second check the same day sends nothing, the next day sends again
        reminders.announceIfDue();
        assertThat(reminders.announceIfDue()).isFalse();
        long before = TestPager.received().stream()
                .filter(m -> m.contains("vendor_reminders") && m.contains(name))
                .count();
        clock.advance(Duration.ofDays(1));
        assertThat(reminders.announceIfDue()).isTrue();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> TestPager.received().stream()
                                .filter(m -> m.contains("vendor_reminders") && m.contains(name))
                                .count()
                        > before);
        clock.reset();

        // each reminder goes away when the row that answers it is there
        web.get("/governance/vendors/" + id);
        web.post(
                "/governance/vendors/" + id + "/contacts",
                Map.of("contactName", "試験 当番", "phone", "0120-000-000", "emergency", "true"));
        upload(web, id, fields("SDS", "", "Ver.5.0", today.toString()), "sds.pdf", "%PDF-1.4 new".getBytes());
        long contract = register.existing(id).contracts().get(0).id();
        web.get("/governance/vendors/" + id);
        web.post("/governance/vendors/" + id + "/contracts/" + contract + "/remove", Map.of());
        assertThat(reminders.of(id)).isEmpty();
    }

    private static java.net.http.HttpResponse<String> postFormFile(WebClient web, String path, byte[] content)
            throws Exception {
        var m = java.util.regex.Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"")
                .matcher(web.last().body());
        assertThat(m.find()).isTrue();
        String boundary = "----vendor-form-" + System.nanoTime();
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + m.group(1)
                        + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"receivedOn\"\r\n\r\n"
                        + "2025-06-01\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"form.pdf\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        String base = web.last().uri().toString().replaceFirst("/governance/.*$", "");
        return java.net.http.HttpClient.newBuilder()
                .cookieHandler(web.cookies())
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
                .build()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private Answers.Person person() {
        var u = fixtures.user("so-forms-direct", JobType.IT, "SECURITY_OFFICER");
        return new Answers.Person(u.id(), u.loginId(), "試験 " + u.loginId());
    }

    private long vendor(WebClient web, String name, String systems) {
        web.get("/governance/vendors");
        web.post("/governance/vendors", Map.of("name", name, "systems", systems));
        String path = web.path();
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    }

    private WebClient officer() {
        WebClient web = signIn(fixtures.user("so-forms", JobType.IT, "SECURITY_OFFICER"));
        web.get("/governance/vendors");
        return web;
    }
}
