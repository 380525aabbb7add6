package jp.mamori.server.audit;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
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
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import jp.mamori.server.platform.MamoriProperties;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The printed record of a signed-off review (定期確認の記録). Its checkpoint block is what makes the
 * paper worth keeping: a consistency proof from that tree size to any later checkpoint shows the log
 * was only appended to since the review.
 *
 * <p>Japanese is set in Adobe's HeiseiKakuGo-W5 with the UniJIS-UCS2-H encoding: a font every PDF
 * reader supplies for Adobe-Japan1, so nothing is embedded and the server needs no font files.
 */
@Component
class ReviewReport {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private final MessageSource messages;
    private final MamoriProperties properties;

    ReviewReport(MessageSource messages, MamoriProperties properties) {
        this.messages = messages;
        this.properties = properties;
    }

    byte[] pdf(AccessLogReviews.SignedReview review, Locale locale) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            BaseFont gothic = BaseFont.createFont("HeiseiKakuGo-W5", "UniJIS-UCS2-H", BaseFont.NOT_EMBEDDED);
            // The same font with half-width (fixed-pitch) Latin glyphs, for the checkpoint block.
            BaseFont mono = BaseFont.createFont("HeiseiKakuGo-W5", "UniJIS-UCS2-HW-H", BaseFont.NOT_EMBEDDED);
            Font title = new Font(gothic, 16, Font.BOLD);
            Font heading = new Font(gothic, 12, Font.BOLD);
            Font body = new Font(gothic, 10);
            Font code = new Font(mono, 8);
            Document doc = new Document(PageSize.A4, 50, 50, 50, 50);
            PdfWriter.getInstance(doc, out);
            doc.addTitle(text("review.pdf.title", locale));
            doc.open();
            doc.add(new Paragraph(text("review.pdf.title", locale), title));
            doc.add(new Paragraph(" ", body));
            PdfPTable facts = new PdfPTable(new float[] {1, 3});
            facts.setWidthPercentage(100);
            fact(facts, text("review.pdf.facility", locale), properties.facilityName(), body);
            fact(facts, text("review.pdf.period", locale), review.start() + " – " + review.lastDay(), body);
            fact(facts, text("review.pdf.reviewer", locale), review.reviewer(), body);
            fact(
                    facts,
                    text("review.pdf.signedAt", locale),
                    review.signedAtJst().format(MINUTE) + " JST",
                    body);
            if (review.corrects() != null) {
                fact(facts, text("review.pdf.corrects", locale), "#" + review.corrects(), body);
            }
            fact(facts, text("review.pdf.summary", locale), review.summary(), body);
            doc.add(facts);

            doc.add(new Paragraph(text("review.pdf.checks", locale), heading));
            PdfPTable checks = new PdfPTable(new float[] {3, 1, 5});
            checks.setWidthPercentage(100);
            checks.setSpacingBefore(6);
            checks.addCell(new Phrase(text("review.pdf.check", locale), heading));
            checks.addCell(new Phrase(text("review.pdf.count", locale), heading));
            checks.addCell(new Phrase(text("review.pdf.note", locale), heading));
            for (AccessLogReviews.CheckNote c : review.checks()) {
                checks.addCell(new Phrase(text("review.check." + c.key(), locale), body));
                String count = String.format("%,d", c.count());
                if (c.outsideWindows() != null) {
                    count += "\n" + text("review.windowsCount", locale, c.insideWindows(), c.outsideWindows());
                }
                checks.addCell(new Phrase(count, body));
                checks.addCell(new Phrase(c.note().isEmpty() ? "—" : c.note(), body));
            }
            doc.add(checks);

            doc.add(new Paragraph(" ", body));
            doc.add(new Paragraph(text("review.pdf.checkpoint", locale), heading));
            doc.add(new Paragraph(
                    text("review.pdf.checkpointFacts", locale, review.checkpointSize(), review.rootHex()), body));
            PdfPTable block = new PdfPTable(1);
            block.setWidthPercentage(100);
            block.setSpacingBefore(6);
            // The note verbatim, line by line: the signature covers these exact bytes.
            PdfPCell cell = new PdfPCell();
            cell.setPadding(6);
            Paragraph lines = new Paragraph();
            lines.setLeading(10);
            for (String line : review.checkpointNote().split("\n", -1)) {
                addCodeLine(lines, line, code, new Font(gothic, 8));
                lines.add(Chunk.NEWLINE);
            }
            cell.addElement(lines);
            block.addCell(cell);
            doc.add(block);
            doc.add(new Paragraph(" ", body));
            doc.add(new Paragraph(text("review.pdf.howTo", locale, review.checkpointSize()), body));
            doc.add(new Paragraph(
                    "java -jar mamori-auditlog.jar consistency --from " + review.checkpointSize()
                            + " --to N EXPORT_DIR",
                    code));
            doc.add(new Paragraph(text("review.pdf.signOffEvent", locale, review.signOffIndex()), body));
            doc.close();
        } catch (DocumentException | IOException e) {
            throw new IllegalStateException("The review report could not be written: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * One line of the checkpoint in fixed-pitch Latin. The signature lines begin with an em dash,
     * which the half-width encoding lacks: it is set in the full-width font, so the printed (and
     * extracted) text stays the note byte for byte.
     */
    private static void addCodeLine(Paragraph out, String line, Font code, Font wide) {
        if (line.isEmpty()) {
            out.add(new Chunk(" ", code));
        }
        int from = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\u2014') {
                if (i > from) {
                    out.add(new Chunk(line.substring(from, i), code));
                }
                out.add(new Chunk("\u2014", wide));
                from = i + 1;
            }
        }
        if (from < line.length()) {
            out.add(new Chunk(line.substring(from), code));
        }
        out.add(Chunk.NEWLINE);
    }

    private static void fact(PdfPTable table, String label, String value, Font font) {
        table.addCell(new Phrase(label, font));
        table.addCell(new Phrase(value, font));
    }

    private String text(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, locale);
    }
}
