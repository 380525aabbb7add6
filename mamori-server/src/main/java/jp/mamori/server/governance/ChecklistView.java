package jp.mamori.server.governance;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A sheet with its current answers and proposals, and the traffic light of each item: green when
 * every column is はい (or the gate says there is no system), red when a いいえ is past its 目標日,
 * amber otherwise (unanswered, or いいえ with the 目標日 still ahead).
 */
@Component
class ChecklistView {

    enum Light {
        GREEN,
        AMBER,
        RED
    }

    record Cell(Checklist.Target target, Answers.@Nullable Answer answer) {
        public boolean overdue(LocalDate today) {
            return answer != null
                    && answer.reply() == Answers.Reply.NO
                    && answer.targetOn() != null
                    && answer.targetOn().isBefore(today);
        }
    }

    record Row(Checklist.Item item, List<Cell> cells, Proposals.@Nullable Proposal proposal, Light light) {
        public String key() {
            return item.number();
        }
    }

    /**
     * @param gate the gate question's row, if the sheet has one
     * @param gateSaysNoSystem いいえ to the gate: nothing else needs answering
     */
    record Sheet(Checklist checklist, @Nullable Row gate, boolean gateSaysNoSystem, List<Row> rows, LocalDate today) {

        public long count(Light light) {
            return rows.stream().filter(r -> r.light() == light).count();
        }

        public List<Row> overdue() {
            return rows.stream()
                    .filter(r -> r.cells().stream().anyMatch(c -> c.overdue(today)))
                    .toList();
        }
    }

    private final Answers answers;
    private final Proposals proposals;

    ChecklistView(Answers answers, Proposals proposals) {
        this.answers = answers;
        this.proposals = proposals;
    }

    Sheet of(Checklist checklist) {
        Map<String, Answers.Answer> current = answers.current(checklist);
        LocalDate today = answers.today();
        Row gate = null;
        boolean noSystem = false;
        if (checklist.gate() != null) {
            gate = row(checklist, checklist.gate(), current, today, false, false);
            Answers.Answer g = gate.cells().get(0).answer();
            noSystem = g != null && g.reply() == Answers.Reply.NO;
        }
        List<Row> rows = new ArrayList<>();
        for (Checklist.Item item : checklist.items()) {
            rows.add(row(checklist, item, current, today, noSystem, true));
        }
        return new Sheet(checklist, gate, noSystem, rows, today);
    }

    Row row(Checklist checklist, String itemNo) {
        Sheet sheet = of(checklist);
        if (Checklist.GATE.equals(itemNo) && sheet.gate() != null) {
            return sheet.gate();
        }
        return sheet.rows().stream()
                .filter(r -> r.key().equals(itemNo))
                .findFirst()
                .orElseThrow(() -> new AnswerRefused("governance.error.noSuchItem", itemNo, checklist.title()));
    }

    private Row row(
            Checklist checklist,
            Checklist.Item item,
            Map<String, Answers.Answer> current,
            LocalDate today,
            boolean noSystem,
            boolean propose) {
        List<Cell> cells = item.targets().stream()
                .map(t -> new Cell(t, current.get(Answers.cellKey(item.number(), t))))
                .toList();
        Optional<Proposals.Proposal> proposal =
                propose && !noSystem ? proposals.forItem(checklist, item.number()) : Optional.empty();
        return new Row(item, cells, proposal.orElse(null), light(cells, today, noSystem));
    }

    private static Light light(List<Cell> cells, LocalDate today, boolean noSystem) {
        if (noSystem) {
            return Light.GREEN;
        }
        if (cells.stream().anyMatch(c -> c.overdue(today))) {
            return Light.RED;
        }
        boolean allYes =
                cells.stream().allMatch(c -> c.answer() != null && c.answer().reply() == Answers.Reply.YES);
        return allYes ? Light.GREEN : Light.AMBER;
    }
}
