package jp.mamori.server.governance;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The checklist as PDF for the inspector, with the same content as the Excel sheet. Japanese text
 * is set in the Adobe-Japan1 font HeiseiKakuGo-W5 through the predefined CMap UniJIS-UCS2-H, which
 * PDF readers provide themselves: no font file is needed on the server, and the text stays
 * extractable.
 */
final class ChecklistPdf {

    private ChecklistPdf() {}

    static byte[] render(ChecklistView.Sheet sheet, String facility) {
        Checklist c = sheet.checklist();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4.rotate(), 28, 28, 28, 28);
        try {
            BaseFont base = BaseFont.createFont("HeiseiKakuGo-W5", "UniJIS-UCS2-H", BaseFont.NOT_EMBEDDED);
            Font title = new Font(base, 13, Font.BOLD);
            Font body = new Font(base, 8.5f);
            Font bold = new Font(base, 8.5f, Font.BOLD);
            PdfWriter.getInstance(doc, out);
            doc.addTitle(c.label() + " " + c.title());
            doc.open();
            doc.add(new Paragraph(c.label() + " サイバーセキュリティ対策チェックリスト(" + c.title() + ")", title));
            doc.add(new Paragraph("施設名: " + facility, body));
            doc.add(new Paragraph("「はい」「いいえ」と確認日を記入し、「いいえ」の場合は" + c.label() + "中の目標日を記入する。", body));
            PdfPTable table = new PdfPTable(new float[] {5, 42, 11, 6, 8, 8, 20});
            table.setWidthPercentage(100);
            table.setSpacingBefore(8);
            table.setHeaderRows(1);
            for (String h : new String[] {"番号", "確認事項", "対象", "回答", "確認日", "目標日", "備考"}) {
                table.addCell(cell(h, bold));
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
                        PdfPCell number = cell(Checklist.GATE.equals(item.number()) ? "前提" : item.number(), body);
                        number.setRowspan(row.cells().size());
                        table.addCell(number);
                        PdfPCell text = cell(item.text(), body);
                        text.setRowspan(row.cells().size());
                        table.addCell(text);
                    }
                    Answers.Answer a = target.answer();
                    table.addCell(cell(ExcelSheets.targetLabel(target.target()), body));
                    table.addCell(cell(a == null ? "" : a.reply() == Answers.Reply.YES ? "はい" : "いいえ", body));
                    table.addCell(cell(a == null ? "" : a.checkedOn().toString(), body));
                    table.addCell(cell(
                            a == null || a.targetOn() == null
                                    ? ""
                                    : a.targetOn().toString(),
                            body));
                    table.addCell(cell(first && !item.verified() ? "文言未確認" : "", body));
                    first = false;
                }
            }
            doc.add(table);
            doc.add(new Paragraph("「文言未確認」の項目は、厚生労働省の原文との照合が済んでいない文言です。", body));
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("The checklist PDF could not be laid out: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static PdfPCell cell(String text, Font font) {
        PdfPCell cell = new PdfPCell(new Phrase(text, font));
        cell.setVerticalAlignment(Element.ALIGN_TOP);
        cell.setPadding(3);
        return cell;
    }
}
