package jp.mamori.server.governance;

import static jp.mamori.server.governance.PdfLayout.cell;

import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.PdfPTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jp.mamori.server.platform.MamoriProperties;
import org.springframework.stereotype.Service;

/**
 * The pack for an on-site inspection (立入検査用資料一式): one ZIP with an index (目次) first and then
 * every {@link InspectionPackPart}'s files, numbered in the parts' order. File names are Japanese,
 * stored in UTF-8 with the ZIP's UTF-8 flag set so that Windows' Explorer shows them right.
 */
@Service
class InspectionPack {

    static final String INDEX = "00_目次.pdf";

    private final List<InspectionPackPart> parts;
    private final String facility;
    private final Clock clock;

    /** @param parts in their {@code @Order} */
    InspectionPack(List<InspectionPackPart> parts, MamoriProperties properties, Clock clock) {
        this.parts = List.copyOf(parts);
        this.facility = properties.facilityName();
        this.clock = clock;
    }

    /** One part in the index: its number, title, and the files it holds under their names in the pack. */
    record Listed(int number, InspectionPackPart part, List<InspectionPackPart.PackFile> files) {}

    /** The pack, and what went into it for the access log. */
    record Made(byte[] zip, List<String> names) {}

    Made make(Checklist sheet, String madeBy) {
        Instant at = clock.instant();
        InspectionPackPart.Request request = new InspectionPackPart.Request(sheet, at);
        List<Listed> listed = new ArrayList<>();
        int number = 1;
        for (InspectionPackPart part : parts) {
            String prefix = String.format("%02d_", number);
            List<InspectionPackPart.PackFile> files = part.render(request).stream()
                    .map(f -> new InspectionPackPart.PackFile(prefix + f.name(), f.content(), f.about(), f.signedAt()))
                    .toList();
            listed.add(new Listed(number++, part, files));
        }
        byte[] index = index(sheet, listed, at, madeBy);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>();
        // UTF-8 is ZipOutputStream's own choice, and with it every entry carries the UTF-8 flag (bit 11)
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            put(zip, INDEX, index, at);
            names.add(INDEX);
            for (Listed l : listed) {
                for (InspectionPackPart.PackFile f : l.files()) {
                    put(zip, f.name(), f.content(), at);
                    names.add(f.name());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Made(out.toByteArray(), names);
    }

    private static void put(ZipOutputStream zip, String name, byte[] content, Instant at) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setLastModifiedTime(FileTime.from(at));
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private byte[] index(Checklist sheet, List<Listed> listed, Instant at, String madeBy) {
        String title = "立入検査用資料一式 目次";
        return PdfLayout.render(PageSize.A4, title, 9f, "inspection pack index", (doc, f) -> {
            doc.add(new Paragraph(title, f.title()));
            doc.add(new Paragraph("施設名: " + facility, f.body()));
            doc.add(new Paragraph("対象: " + sheet.label() + " " + sheet.title(), f.body()));
            doc.add(new Paragraph("作成: " + AccountReviewExport.time(at) + "  " + madeBy, f.body()));
            PdfPTable table = new PdfPTable(new float[] {4, 18, 30, 30, 12});
            table.setWidthPercentage(100);
            table.setSpacingBefore(8);
            table.setHeaderRows(1);
            for (String h : new String[] {"番号", "資料", "ファイル", "内容", "署名日時"}) {
                table.addCell(cell(h, f.bold()));
            }
            table.addCell(cell("00", f.body()));
            table.addCell(cell("目次", f.body()));
            table.addCell(cell(INDEX, f.body()));
            table.addCell(cell("この一覧", f.body()));
            table.addCell(cell("", f.body()));
            for (Listed l : listed) {
                String number = String.format("%02d", l.number());
                if (l.files().isEmpty()) {
                    table.addCell(cell(number, f.body()));
                    table.addCell(cell(l.part().title(), f.body()));
                    table.addCell(cell("なし", f.bold()));
                    table.addCell(cell(l.part().whenMissing(), f.body()));
                    table.addCell(cell("", f.body()));
                    continue;
                }
                for (InspectionPackPart.PackFile file : l.files()) {
                    table.addCell(cell(number, f.body()));
                    table.addCell(cell(l.part().title(), f.body()));
                    table.addCell(cell(file.name(), f.body()));
                    table.addCell(cell(file.about(), f.body()));
                    table.addCell(
                            cell(file.signedAt() == null ? "" : AccountReviewExport.time(file.signedAt()), f.body()));
                }
            }
            doc.add(table);
            doc.add(new Paragraph(
                    "日時は日本時間です。「なし」の資料は、作成時点で Mamori に記録がなかったものです。チェックリストの「文言未確認」の項目は、厚生労働省の原文との照合が済んでいない文言です。",
                    f.body()));
        });
    }
}
