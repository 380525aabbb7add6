package jp.mamori.server.governance;

import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The current approved version of each of the institution's rules and plans (運用管理規程, BCP and the
 * others), as the file that was approved. Versions without an approval are left out: they are not
 * the institution's rules yet.
 */
@Component
@Order(80)
class PoliciesPackPart implements InspectionPackPart {

    private final Policies policies;

    PoliciesPackPart(Policies policies) {
        this.policies = policies;
    }

    @Override
    public String title() {
        return "規程・計画(承認済みの現行版)";
    }

    @Override
    public String whenMissing() {
        return "承認された規程・計画がありません";
    }

    @Override
    public List<PackFile> render(Request request) {
        List<PackFile> files = new ArrayList<>();
        for (Policies.Document d : policies.all()) {
            var current = d.current();
            if (current.isEmpty()) {
                continue;
            }
            Policies.Version v = current.get();
            Policies.Approval a = java.util.Objects.requireNonNull(v.approval());
            String name = safe(kindName(d.kind()) + "_" + d.title() + "_" + v.label()) + extension(v.filename());
            String about = "承認 " + a.approvedOn() + "(" + a.approverName() + "・" + a.approverTitle() + ")、見直し期限 "
                    + a.reviewDue() + (a.reviewDue().isBefore(policies.today()) ? "(期限切れ)" : "") + "、SHA-256 "
                    + v.sha256();
            files.add(new PackFile(name, policies.download(v.id()).content(), about, null));
        }
        return files;
    }

    static String kindName(Policies.Kind kind) {
        return switch (kind) {
            case OPERATIONS_RULES -> "運用管理規程";
            case SECURITY_POLICY -> "情報セキュリティ基本方針";
            case BCP -> "事業継続計画";
            case OUTSOURCING_RULES -> "委託管理規程";
            case TRAINING_PLAN -> "教育・訓練計画";
            case OTHER -> "その他";
        };
    }

    /** A file name that every unzip tool accepts: no folder separators or reserved characters. */
    private static String safe(String name) {
        String s = name.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").strip();
        return s.length() > 120 ? s.substring(0, 120) : s;
    }

    private static String extension(String filename) {
        int dot = filename.lastIndexOf('.');
        if (dot < 0 || filename.length() - dot > 6) {
            return "";
        }
        return safe(filename.substring(dot));
    }
}
