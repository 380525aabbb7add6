package jp.mamori.server.governance;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One part of the pack for an on-site inspection (立入検査用資料一式): the checklist, a register, a
 * signed-off review. Each part is a bean; the pack orders them by {@link
 * org.springframework.core.annotation.Order} and numbers their files, so a register added later
 * joins the pack with one small class.
 */
interface InspectionPackPart {

    /** What the part holds, as the index (目次) names it, in Japanese like the inspector's papers. */
    String title();

    /**
     * The part's files for the pack; none when there is nothing to hand over, and the index then
     * says {@link #whenMissing()}.
     */
    List<PackFile> render(Request request);

    /** Why nothing is there, for the index. */
    default String whenMissing() {
        return "記録がありません";
    }

    /**
     * @param sheet the institution's checklist of the fiscal year asked for
     * @param at when the pack is made
     */
    record Request(Checklist sheet, Instant at) {}

    /**
     * @param name the file's name inside the part, without the pack's number
     * @param about what it is and of when, for the index: 基準日, period, sign-off
     */
    record PackFile(String name, byte[] content, String about, @Nullable Instant signedAt) {}
}
