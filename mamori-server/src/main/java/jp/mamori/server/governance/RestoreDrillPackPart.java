package jp.mamori.server.governance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.mamori.server.backup.BackupEvidence;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The latest restore drill (復旧訓練) of each watched backup repository (3-②), as JSON: when, which
 * kind of generation, whether every byte came back, and whether the drill record's signature holds.
 */
@Component
@Order(50)
class RestoreDrillPackPart implements InspectionPackPart {

    private final BackupEvidence backups;
    private final JsonMapper json =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    RestoreDrillPackPart(BackupEvidence backups) {
        this.backups = backups;
    }

    @Override
    public String title() {
        return "バックアップの復旧訓練の記録";
    }

    @Override
    public String whenMissing() {
        return "記録された復旧訓練がありません";
    }

    @Override
    public List<PackFile> render(Request request) {
        List<Map<String, Object>> drills = new ArrayList<>();
        Instant latest = null;
        StringBuilder about = new StringBuilder();
        for (BackupEvidence.Repository r : backups.repositories()) {
            BackupEvidence.Drill d = r.lastDrill();
            if (d == null) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("repository", r.name());
            entry.put("location", r.location());
            entry.put("locked", r.locked());
            entry.put("startedAt", d.startedAt().toString());
            entry.put("generationKind", d.generationKind());
            entry.put("passed", d.passed());
            entry.put("signatureValid", d.signatureValid());
            entry.put("seconds", d.seconds());
            drills.add(entry);
            latest = later(latest, d.startedAt());
            about.append(about.isEmpty() ? "" : "、")
                    .append(r.name())
                    .append(" ")
                    .append(AccountReviewExport.day(d.startedAt()))
                    .append(d.passed() && d.signatureValid() ? " 成功" : " 不成功");
        }
        if (drills.isEmpty()) {
            return List.of();
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("madeAt", request.at().toString());
        document.put("drills", drills);
        return List.of(new PackFile(
                "復旧訓練の記録.json",
                json.writeValueAsString(document).getBytes(StandardCharsets.UTF_8),
                about.toString(),
                latest));
    }

    private static Instant later(@Nullable Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
