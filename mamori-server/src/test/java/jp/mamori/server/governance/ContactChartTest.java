package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ContactChartTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    ContactChart chart;

    @Test
    void every_systems_emergency_contacts_are_charted_and_a_vendor_without_one_shows_as_a_gap() {
        WebClient web = signIn(fixtures.user("so-chart", JobType.IT, "SECURITY_OFFICER"));
        String tag = String.valueOf(System.nanoTime());
        String carte = "電子カルテ-" + tag;
        String pacs = "PACS-" + tag;
        long a = vendor(web, "試験カルテ株式会社-" + tag, carte + "\n" + pacs);
        contact(web, a, "試験 緊急一郎", "03-0000-0001", true, true);
        contact(web, a, "試験 営業二郎", "03-0000-0002", false, false);
        vendor(web, "=試験画像株式会社-" + tag, pacs);

        var groups = chart.groups();
        var pacsGroup =
                groups.stream().filter(g -> g.system().equals(pacs)).findFirst().orElseThrow();
        assertThat(pacsGroup.lines())
                .extracting(l -> l.vendorName() + ":"
                        + (l.contact() == null ? "なし" : l.contact().name()))
                .containsExactlyInAnyOrder("=試験画像株式会社-" + tag + ":なし", "試験カルテ株式会社-" + tag + ":試験 緊急一郎");
        assertThat(groups.stream()
                        .filter(g -> g.system().equals(carte))
                        .findFirst()
                        .orElseThrow()
                        .lines())
                .extracting(l -> l.contact().phone())
                .containsExactly("03-0000-0001");

        web.get("/governance/vendors/contact-chart");
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(web.last().body())
                .contains("連絡体制図(事業者の緊急連絡先)")
                .contains("Test Hospital")
                .contains("試験 緊急一郎")
                .contains("03-0000-0001")
                .doesNotContain("試験 営業二郎")
                .contains("緊急連絡先が登録されていません");

        var utf8 = web.getBytes("/governance/vendors/contact-chart.csv?encoding=UTF-8");
        assertThat(utf8.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        byte[] bytes = utf8.body();
        assertThat(bytes[0]).isEqualTo((byte) 0xEF);
        List<String> lines = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8)
                .lines()
                .toList();
        assertThat(lines.get(0)).isEqualTo("システム,事業者,氏名,役割・部署,電話番号,メールアドレス,24時間対応");
        assertThat(lines)
                .contains(carte + ",試験カルテ株式会社-" + tag + ",試験 緊急一郎,保守窓口,03-0000-0001,,はい")
                .contains(pacs + ",'=試験画像株式会社-" + tag + ",緊急連絡先が登録されていません,,,,");

        var sjis = web.getBytes("/governance/vendors/contact-chart.csv?encoding=Shift_JIS");
        assertThat(new String(sjis.body(), Charset.forName("windows-31j"))).contains("試験 緊急一郎");

        // The inspection pack carries the chart.
        var pack = web.getBytes("/governance/inspection-pack.zip?year=2025");
        assertThat(pack.statusCode()).isEqualTo(200);
        String packed = null;
        try (var zip = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(pack.body()), StandardCharsets.UTF_8)) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().endsWith("_連絡体制図.csv")) {
                    packed = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(packed).isNotNull().contains("試験 緊急一郎").contains(pacs);

        WebClient clinician = signIn(fixtures.user("nurse-chart", JobType.NURSE));
        assertThat(clinician.get("/governance/vendors/contact-chart").statusCode())
                .isEqualTo(403);
    }

    private static void contact(WebClient web, long vendor, String name, String phone, boolean emergency, boolean day) {
        web.get("/governance/vendors/" + vendor);
        web.post(
                "/governance/vendors/" + vendor + "/contacts",
                Map.of(
                        "contactName",
                        name,
                        "role",
                        "保守窓口",
                        "phone",
                        phone,
                        "emergency",
                        String.valueOf(emergency),
                        "aroundTheClock",
                        String.valueOf(day)));
        assertThat(web.last().statusCode()).isEqualTo(200);
    }

    private static long vendor(WebClient web, String name, String systems) {
        web.get("/governance/vendors");
        web.post("/governance/vendors", Map.of("name", name, "systems", systems));
        assertThat(web.last().statusCode()).isEqualTo(200);
        String path = web.path();
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    }
}
