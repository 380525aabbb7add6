package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChecklistCatalogTest {

    private final ChecklistCatalog catalog = new ChecklistCatalog();

    @Test
    void every_item_has_what_the_sheet_needs_and_numbers_are_unique() {
        assertThat(catalog.all()).isNotEmpty();
        for (Checklist sheet : catalog.all()) {
            Set<String> numbers = new HashSet<>();
            assertThat(sheet.items()).as(sheet.label() + " " + sheet.form()).isNotEmpty();
            for (Checklist.Item item : sheet.items()) {
                assertThat(numbers.add(item.number()))
                        .as("unique " + item.number())
                        .isTrue();
                assertThat(item.text()).isNotBlank();
                assertThat(item.gloss()).isNotBlank();
                assertThat(item.source()).isNotBlank();
                assertThat(item.targets()).isNotEmpty();
            }
        }
    }

    @Test
    void the_r7_institution_sheet_has_the_gate_first_and_the_items_of_the_manual() {
        Checklist r7 = catalog.find(2025, Checklist.Form.MEDICAL).orElseThrow();
        assertThat(r7.label()).isEqualTo("令和7年度");
        assertThat(r7.gate()).isNotNull();
        assertThat(r7.gate().text()).isEqualTo("医療情報システムを導入、運用している。");
        assertThat(r7.items()).extracting(Checklist.Item::number).startsWith("1-①", "2-①", "2-②");
        assertThat(r7.item("2-⑥").orElseThrow().targets()).containsExactly(Checklist.Target.S);
        assertThat(r7.item("2-⑬").orElseThrow().targets()).containsExactly(Checklist.Target.N);
        assertThat(r7.item("2-④").orElseThrow().r6()).isEqualTo("2-(4)");
        // wording the reference could not confirm word for word is flagged, never passed off as verbatim
        assertThat(r7.item("2-⑩").orElseThrow().verified()).isFalse();
        assertThat(r7.item("2-⑤").orElseThrow().verified()).isFalse();
        assertThat(r7.item("2-⑦").orElseThrow().verified()).isTrue();
    }

    @Test
    void the_r6_sheet_counts_fourteen_cells_in_section_two_as_the_ministry_does() {
        Checklist r6 = catalog.find(2024, Checklist.Form.MEDICAL).orElseThrow();
        long section2 = r6.items().stream()
                .filter(i -> i.number().startsWith("2-"))
                .mapToInt(i -> i.targets().size())
                .sum();
        assertThat(section2).isEqualTo(14);
    }

    @Test
    void the_fiscal_year_runs_from_april_to_march() {
        Checklist r7 = catalog.find(2025, Checklist.Form.MEDICAL).orElseThrow();
        assertThat(r7.within(LocalDate.of(2025, 4, 1))).isTrue();
        assertThat(r7.within(LocalDate.of(2026, 3, 31))).isTrue();
        assertThat(r7.within(LocalDate.of(2025, 3, 31))).isFalse();
        assertThat(r7.within(LocalDate.of(2026, 4, 1))).isFalse();
    }

    @Test
    void a_repeated_number_or_missing_field_is_refused_with_its_place() {
        String repeated =
                """
                years:
                  - fiscalYear: 2025
                    label: 令和7年度
                    forms:
                      - form: MEDICAL
                        title: 医療機関確認用
                        items:
                          - {number: "1-①", text: a, gloss: a, targets: [NONE], verified: true, source: s}
                          - {number: "1-①", text: b, gloss: b, targets: [NONE], verified: true, source: s}
                """;
        assertThatThrownBy(() -> ChecklistCatalog.parse(stream(repeated)))
                .hasMessageContaining("repeats item 1-①")
                .hasMessageContaining("year 2025");
        String missing = repeated.lines()
                .filter(l -> !l.contains("text: b"))
                .map(l -> l.replace(", source: s}", "}"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThatThrownBy(() -> ChecklistCatalog.parse(stream(missing)))
                .hasMessageContaining("lacks 'source'")
                .hasMessageContaining("item 1-①");
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
