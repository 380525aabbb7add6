package jp.mamori.server.identity;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.mamori.server.platform.MamoriProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code --demo}: on an empty database, a synthetic hospital so that a newcomer sees a living
 * system — departments, about thirty staff of different 職種, ten shared terminals with IC cards,
 * one vendor. Every name is invented; passwords, PINs and TOTP seeds are random for each data folder
 * and printed once on the console, never logged.
 */
@Component
class DemoHospital {

    private static final Logger log = LoggerFactory.getLogger(DemoHospital.class);
    private static final String[] GIVEN = {
        "一郎", "二郎", "花子", "桜子", "健太", "美咲", "翔太", "陽菜", "大輔", "結衣", "拓海", "七海", "蓮", "葵", "悠真", "凛"
    };

    private final MamoriProperties properties;
    private final AccountStore accounts;
    private final AccountAdministration admin;
    private final PasswordService passwords;
    private final SecondFactors factors;
    private final TerminalStore terminals;
    private final IcCards cards;
    private final SecureRandom random = new SecureRandom();

    DemoHospital(
            MamoriProperties properties,
            AccountStore accounts,
            AccountAdministration admin,
            PasswordService passwords,
            SecondFactors factors,
            TerminalStore terminals,
            IcCards cards) {
        this.properties = properties;
        this.accounts = accounts;
        this.admin = admin;
        this.passwords = passwords;
        this.factors = factors;
        this.terminals = terminals;
        this.cards = cards;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(5)
    void seed(ApplicationReadyEvent ready) {
        if (!properties.demo()) {
            return;
        }
        if (!accounts.all().isEmpty()) {
            log.info("Demo data not seeded: the database already holds accounts");
            return;
        }
        Map<String, Long> dept = new HashMap<>();
        String[][] departments = {
            {"IM", "内科", "Internal medicine"}, {"SURG", "外科", "Surgery"}, {"PED", "小児科", "Paediatrics"},
            {"WARD3", "3階病棟", "Ward 3F"}, {"WARD4", "4階病棟", "Ward 4F"}, {"PHARM", "薬剤部", "Pharmacy"},
            {"LAB", "臨床検査部", "Laboratory"}, {"RAD", "放射線部", "Radiology"}, {"MED", "医事課", "Medical affairs"},
            {"IT", "情報システム室", "IT office"}
        };
        for (String[] d : departments) {
            dept.put(d[0], admin.createDepartment(d[0], d[1], d[2]));
        }
        List<String[]> printed = new ArrayList<>();
        int n = 0;
        Object[][] staff = {
            {"admin", "情報 管理", JobType.IT, "IT", Set.of("SYSTEM_ADMIN"), 1},
            {"so01", "安全 責任", JobType.DOCTOR, "IM", Set.of("SECURITY_OFFICER", "DOCTOR"), 1},
            {"dr", "医師", JobType.DOCTOR, "IM", Set.of("DOCTOR"), 6},
            {"ns", "看護", JobType.NURSE, "WARD3", Set.of("NURSE"), 10},
            {"ph", "薬剤", JobType.PHARMACIST, "PHARM", Set.of("PHARMACIST"), 3},
            {"lt", "検査", JobType.TECHNICIAN, "LAB", Set.of("TECHNICIAN"), 2},
            {"rt", "放射", JobType.TECHNICIAN, "RAD", Set.of("TECHNICIAN"), 2},
            {"ck", "医事", JobType.CLERK, "MED", Set.of("CLERK"), 4},
            {"au01", "監査 担当", JobType.CLERK, "MED", Set.of("AUDITOR"), 1}
        };
        for (Object[] group : staff) {
            int count = (Integer) group[5];
            for (int i = 1; i <= count; i++) {
                String loginId = count == 1 ? (String) group[0] : String.format("%s%02d", group[0], i);
                String name = count == 1 ? (String) group[1] : group[1] + " " + GIVEN[(n++) % GIVEN.length];
                printed.add(createStaff(
                        loginId, name, (JobType) group[2], dept.get((String) group[3]), (Set<String>) group[4], null));
            }
        }
        printed.add(createStaff(
                "vendor01",
                "保守 事業者(デモ電子カルテ社)",
                JobType.VENDOR,
                dept.get("IT"),
                Set.of("VENDOR"),
                Instant.now().plus(Duration.ofDays(90))));
        long system = accounts.create(new AccountStore.NewAccount(
                "svc-backup", "バックアップ(システム)", AccountKind.SYSTEM, JobType.SYSTEM, dept.get("IT"), null, null));
        accounts.setRoles(system, Set.of());

        List<String[]> terminalLines = new ArrayList<>();
        String[][] places = {
            {"WARD3-01", "3階病棟 ナースステーション", "WARD3"}, {"WARD3-02", "3階病棟 ナースステーション", "WARD3"},
            {"WARD4-01", "4階病棟 ナースステーション", "WARD4"}, {"WARD4-02", "4階病棟 処置室", "WARD4"},
            {"OPD-IM-1", "内科外来 診察室1", "IM"}, {"OPD-IM-2", "内科外来 診察室2", "IM"},
            {"OPD-PED-1", "小児科外来 診察室1", "PED"}, {"PHARM-01", "薬剤部 調剤室", "PHARM"},
            {"LAB-01", "臨床検査部 受付", "LAB"}, {"MED-01", "医事課 受付", "MED"}
        };
        for (String[] p : places) {
            var t = terminals.register(p[0], p[1], dept.get(p[2]), true, 300);
            terminalLines.add(new String[] {p[0], p[1], t.credential()});
        }
        print(
                printed,
                terminalLines,
                ready.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080"));
    }

    @SuppressWarnings("unchecked")
    private String[] createStaff(
            String loginId, String name, JobType job, Long departmentId, Set<String> roles, Instant expires) {
        AccountKind kind = job == JobType.VENDOR ? AccountKind.VENDOR : AccountKind.STAFF;
        long id = accounts.create(new AccountStore.NewAccount(
                loginId,
                name,
                kind,
                job,
                departmentId,
                LocalDate.of(1970 + random.nextInt(30), 1 + random.nextInt(12), 1 + random.nextInt(28)),
                expires));
        accounts.setRoles(id, roles);
        String password = newPassword();
        accounts.setPassword(id, passwords.hash(password));
        byte[] secret = Totp.newSecret();
        factors.enrolConfirmed(id, secret);
        String uid = "";
        String pin = "";
        if (job == JobType.NURSE || job == JobType.DOCTOR || job == JobType.PHARMACIST) {
            byte[] b = new byte[8];
            random.nextBytes(b);
            uid = java.util.HexFormat.of().withUpperCase().formatHex(b);
            pin = newPin();
            cards.enrol(id, uid, IcCards.CardType.FELICA, "職員証", pin);
        }
        return new String[] {loginId, name, password, Base32.encode(secret), uid, pin};
    }

    private String newPassword() {
        String letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
        String digits = "23456789";
        String symbols = "#%+=!?";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            b.append(letters.charAt(random.nextInt(letters.length())));
        }
        b.append(digits.charAt(random.nextInt(digits.length())));
        b.append(symbols.charAt(random.nextInt(symbols.length())));
        b.append(digits.charAt(random.nextInt(digits.length())));
        return b.toString();
    }

    private String newPin() {
        while (true) {
            String pin = String.format("%04d", random.nextInt(10000));
            try {
                IcCards.checkPin(pin);
                return pin;
            } catch (IllegalArgumentException guessable) {
                // draw again
            }
        }
    }

    /** To the console only: these are the demo's credentials, not something for log files. */
    private static void print(List<String[]> staff, List<String[]> terminalLines, String port) {
        StringBuilder out = new StringBuilder();
        out.append("\n=== Mamori デモ病院 / demo hospital (synthetic) ===\n");
        out.append(String.format(
                "%-10s %-22s %-15s %-34s %-18s %s%n", "login", "name", "password", "TOTP secret", "IC card", "PIN"));
        for (String[] s : staff) {
            out.append(String.format("%-10s %-22s %-15s %-34s %-18s %s%n", (Object[]) s));
        }
        out.append("\n共用端末 / shared terminals: open http://localhost:" + port
                + "/terminal/activate on the PC and enter its credential\n");
        for (String[] t : terminalLines) {
            out.append(String.format("  %-10s %-28s %s%n", (Object[]) t));
        }
        System.out.println(out);
    }
}
