package jp.mamori.server.governance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The governance pages and the inspection pack at the size of a large hospital: 5,000 assets, 3,000
 * accounts, 200 vendors (override with {@code -Dbench.assets}, {@code -Dbench.accounts},
 * {@code -Dbench.vendors}). Each page's p95 is printed beside the p95 of the sign-in page served
 * by the same server in the same run, the floor any page of this server pays.
 * Run: {@code ./mvnw -pl mamori-server -am -Pbench test -Dtest=GovernanceBenchmark}.
 */
@Tag("bench")
class GovernanceBenchmark extends ServerTest {

    private static final int ASSETS = Integer.getInteger("bench.assets", 5_000);
    private static final int ACCOUNTS = Integer.getInteger("bench.accounts", 3_000);
    private static final int VENDORS = Integer.getInteger("bench.vendors", 200);
    private static final int REQUESTS = Integer.getInteger("bench.requests", 60);

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void pages_and_the_inspection_pack_at_hospital_size() throws Exception {
        WebClient web = signIn(fixtures.user("bench-so", JobType.IT, "SECURITY_OFFICER", "SYSTEM_ADMIN"));
        long t0 = System.nanoTime();
        StringBuilder csv = new StringBuilder("名称,種別,設置場所,メーカー,シリアル番号,IPアドレス,保守事業者\r\n");
        for (int i = 0; i < ASSETS; i++) {
            csv.append(String.format(
                    Locale.ROOT,
                    "機器-%05d,%s,病棟%d,試験電機%d,SN-%06d,10.%d.%d.%d,試験保守%d\r\n",
                    i,
                    i % 3 == 0 ? "サーバ" : "端末PC",
                    i % 20,
                    i % 7,
                    i,
                    10 + i / 65_536,
                    (i / 256) % 256,
                    i % 256,
                    i % VENDORS));
        }
        var imported = web.postFile(
                "/governance/assets/import", "file", "assets.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        if (imported.statusCode() != 200) {
            throw new IllegalStateException("asset import answered " + imported.statusCode());
        }
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < ACCOUNTS; i++) {
            fixtures.accountOnly("bench-staff", i % 2 == 0 ? JobType.NURSE : JobType.DOCTOR, "NURSE");
        }
        for (int i = 0; i < VENDORS; i++) {
            web.get("/governance/vendors");
            web.post("/governance/vendors", Map.of("name", "試験保守" + i, "systems", "システム" + (i % 40)));
        }
        System.out.printf(
                Locale.ROOT,
                "data: %d assets (CSV import %.1f s), %d accounts, %d vendors%n",
                ASSETS,
                importSeconds,
                ACCOUNTS,
                VENDORS);

        double floor = p95(web, "/login");
        System.out.printf(Locale.ROOT, "%-52s p95 %7.1f ms%n", "/login (the floor: a page with no data)", floor);
        for (String page : List.of(
                "/",
                "/governance",
                "/governance/checklist?year=2025&form=MEDICAL",
                "/governance/assets",
                "/governance/vendors",
                "/governance/connections")) {
            double p95 = p95(web, page);
            System.out.printf(
                    Locale.ROOT,
                    "%-52s p95 %7.1f ms  (%.1f× the floor; target < 300 ms)%n",
                    page,
                    p95,
                    p95 / floor);
        }
        List<Double> packs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long s = System.nanoTime();
            var pack = web.getBytes("/governance/inspection-pack.zip?year="
                    + URLEncoder.encode("2025", StandardCharsets.UTF_8));
            if (pack.statusCode() != 200) {
                throw new IllegalStateException("the pack answered " + pack.statusCode());
            }
            packs.add((System.nanoTime() - s) / 1e9);
        }
        Collections.sort(packs);
        System.out.printf(
                Locale.ROOT, "inspection pack: best %.2f s, worst %.2f s (target < 10 s)%n", packs.get(0), packs.get(2));
    }

    private static double p95(WebClient web, String path) {
        for (int i = 0; i < 5; i++) {
            web.get(path);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            long s = System.nanoTime();
            var r = web.get(path);
            ms.add((System.nanoTime() - s) / 1e6);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + r.statusCode());
            }
        }
        Collections.sort(ms);
        return ms.get((int) Math.ceil(ms.size() * 0.95) - 1);
    }
}
