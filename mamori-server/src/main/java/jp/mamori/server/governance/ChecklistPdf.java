package jp.mamori.server.governance;

import static jp.mamori.server.governance.PdfLayout.cell;

import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The checklist as PDF for the inspector, with the same content as the Excel sheet, set as {@link
 * PdfLayout} sets every governance document.
 */
final class ChecklistPdf {

    private ChecklistPdf() {}

    static byte[] render(ChecklistView.Sheet sheet, String facility) {
        Checklist c = sheet.checklist();
        return PdfLayout.render(PageSize.A4.rotate(), c.label() + " " + c.title(), 8.5f, "checklist", (doc, f) -> {
            doc.add(new Paragraph(c.label() + " サイバーセキュリティ対策チェックリスト(" + c.title() + ")", f.title()));
            doc.add(new Paragraph("施設名: " + facility, f.body()));
            doc.add(new Paragraph("「はい」「いいえ」と確認日を記入し、「いいえ」の場合は" + c.label() + "中の目標日を記入する。", f.body()));
            PdfPTable table = new PdfPTable(new float[] {5, 42, 11, 6, 8, 8, 20});
            table.setWidthPercentage(100);
            table.setSpacingBefore(8);
            table.setHeaderRows(1);
            for (String h : new String[] {"番号", "確認事項", "対象", "回答", "確認日", "目標日", "備考"}) {
                table.addCell(cell(h, f.bold()));
            }
            List<ChecklistView.Row> rows = new ArrayList<>();
            if (sheet.gate() != null) {
                rows.add(sheet.gate());
            }
            rows.addAll(sheet.rows());
            for (ChecklistView.Row row : rows) {
                Checklist.Item item = row.item();
                boolean first = true;
                for (ChecklistView.Cell target : row.cells()) {
                    if (first) {
                        PdfPCell number = cell(Checklist.GATE.equals(item.number()) ? "前提" : item.number(), f.body());
                        number.setRowspan(row.cells().size());
                        table.addCell(number);
                        PdfPCell text = cell(item.text(), f.body());
                        text.setRowspan(row.cells().size());
                        table.addCell(text);
                    }
                    Answers.Answer a = target.answer();
                    table.addCell(cell(ExcelSheets.targetLabel(target.target()), f.body()));
                    table.addCell(cell(a == null ? "" : a.reply() == Answers.Reply.YES ? "はい" : "いいえ", f.body()));
                    table.addCell(cell(a == null ? "" : a.checkedOn().toString(), f.body()));
                    table.addCell(cell(
                            a == null || a.targetOn() == null
                                    ? ""
                                    : a.targetOn().toString(),
                            f.body()));
                    table.addCell(cell(first && !item.verified() ? "文言未確認" : "", f.body()));
                    first = false;
                }
            }
            doc.add(table);
            doc.add(new Paragraph("「文言未確認」の項目は、厚生労働省の原文との照合が済んでいない文言です。", f.body()));
        });
    }
}
