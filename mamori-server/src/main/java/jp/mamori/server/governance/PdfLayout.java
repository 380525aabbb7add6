package jp.mamori.server.governance;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the governance module's PDF documents share: Japanese set in the Adobe-Japan1 font
 * HeiseiKakuGo-W5 through the predefined CMap UniJIS-UCS2-H, which PDF readers provide themselves
 * (no font file is needed on the server, and the text stays extractable), table cells, and the
 * writing of a document into bytes.
 */
final class PdfLayout {

    private PdfLayout() {}

    /** What a document puts on its pages. */
    @FunctionalInterface
    interface Content {
        void write(Document doc, Fonts fonts) throws DocumentException;
    }

    /** The one typeface in its sizes. */
    record Fonts(BaseFont base, Font title, Font body, Font bold) {
        Font sized(float size) {
            return new Font(base, size);
        }
    }

    /**
     * @param what names the document in the error if it cannot be laid out
     */
    static byte[] render(Rectangle page, String title, float bodySize, String what, Content content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(page, 28, 28, 28, 28);
        try {
            BaseFont base = BaseFont.createFont("HeiseiKakuGo-W5", "UniJIS-UCS2-H", BaseFont.NOT_EMBEDDED);
            Fonts fonts = new Fonts(
                    base, new Font(base, 13, Font.BOLD), new Font(base, bodySize), new Font(base, bodySize, Font.BOLD));
            PdfWriter.getInstance(doc, out);
            doc.addTitle(title);
            doc.open();
            content.write(doc, fonts);
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("The " + what + " PDF could not be laid out: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static PdfPCell cell(String text, Font font) {
        PdfPCell cell = new PdfPCell(new Phrase(text, font));
        cell.setVerticalAlignment(Element.ALIGN_TOP);
        cell.setPadding(3);
        return cell;
    }
}
