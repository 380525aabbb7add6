package jp.mamori.server.governance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.springframework.http.MediaType;

/** The checklist and the asset register as Excel workbooks (.xlsx), and the register read back from one. */
final class ExcelSheets {

    static final MediaType XLSX =
            MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private ExcelSheets() {}

    /**
     * The sheet laid out like the ministry's form: a title, the filling rule, the gate question,
     * then one row per item and target column with はい/いいえ, 確認日 and 目標日. Items whose wording is
     * not verified say so in the last column.
     */
    static byte[] checklist(ChecklistView.Sheet sheet, String facility) {
        Checklist c = sheet.checklist();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            Sheet s = wb.createSheet(c.title());
            CellStyle head = bordered(wb, true);
            CellStyle cell = bordered(wb, false);
            cell.setWrapText(true);
            int r = 0;
            text(s.createRow(r++), 0, c.label() + " サイバーセキュリティ対策チェックリスト(" + c.title() + ")", null);
            text(s.createRow(r++), 0, "施設名: " + facility, null);
            text(s.createRow(r++), 0, "「はい」「いいえ」と確認日を記入し、「いいえ」の場合は" + c.label() + "中の目標日を記入する。", null);
            r++;
            Row header = s.createRow(r++);
            String[] titles = {"番号", "確認事項", "対象", "回答", "確認日", "目標日", "備考"};
            for (int i = 0; i < titles.length; i++) {
                text(header, i, titles[i], head);
            }
            List<ChecklistView.Row> rows = new ArrayList<>();
            if (sheet.gate() != null) {
                rows.add(sheet.gate());
            }
            rows.addAll(sheet.rows());
            for (ChecklistView.Row row : rows) {
                int first = r;
                for (ChecklistView.Cell target : row.cells()) {
                    Row x = s.createRow(r++);
                    Checklist.Item item = row.item();
                    text(x, 0, Checklist.GATE.equals(item.number()) ? "前提" : item.number(), cell);
                    text(x, 1, item.text(), cell);
                    text(x, 2, targetLabel(target.target()), cell);
                    Answers.Answer a = target.answer();
                    text(x, 3, a == null ? "" : a.reply() == Answers.Reply.YES ? "はい" : "いいえ", cell);
                    text(x, 4, a == null ? "" : a.checkedOn().toString(), cell);
                    text(
                            x,
                            5,
                            a == null || a.targetOn() == null
                                    ? ""
                                    : a.targetOn().toString(),
                            cell);
                    text(x, 6, item.verified() ? "" : "文言未確認(出典: " + item.source() + ")", cell);
                }
                if (r - first > 1) {
                    s.addMergedRegion(new CellRangeAddress(first, r - 1, 0, 0));
                    s.addMergedRegion(new CellRangeAddress(first, r - 1, 1, 1));
                }
            }
            int[] widths = {8, 60, 20, 8, 12, 12, 40};
            for (int i = 0; i < widths.length; i++) {
                s.setColumnWidth(i, widths[i] * 256);
            }
            return bytes(wb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The register with the same columns as the CSV file, so that either can be read back. */
    static byte[] assets(List<AssetRegister.Asset> assets) {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            Sheet s = wb.createSheet("機器台帳");
            CellStyle head = bordered(wb, true);
            Row header = s.createRow(0);
            AssetField[] fields = AssetField.values();
            for (int i = 0; i < fields.length; i++) {
                text(header, i, fields[i].header, head);
                s.setColumnWidth(i, 18 * 256);
            }
            int r = 1;
            for (AssetRegister.Asset a : assets) {
                Row x = s.createRow(r++);
                for (int i = 0; i < fields.length; i++) {
                    text(x, i, a.show(fields[i]), null);
                }
            }
            return bytes(wb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first sheet's rows as records, the first row being the header; dates as yyyy-MM-dd. */
    static List<Csv.Record> readRecords(byte[] xlsx) {
        List<Csv.Record> out = new ArrayList<>();
        DataFormatter formatter = new DataFormatter();
        try (Workbook wb = WorkbookFactory.create(new ByteArrayInputStream(xlsx))) {
            Sheet s = wb.getSheetAt(0);
            int width = s.getRow(s.getFirstRowNum()) == null
                    ? 0
                    : s.getRow(s.getFirstRowNum()).getLastCellNum();
            for (int r = s.getFirstRowNum(); r <= s.getLastRowNum(); r++) {
                Row row = s.getRow(r);
                if (row == null) {
                    continue;
                }
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < width; i++) {
                    Cell cell = row.getCell(i);
                    if (cell == null) {
                        fields.add("");
                    } else if (cell.getCellType() == CellType.NUMERIC && DateUtil.isCellDateFormatted(cell)) {
                        LocalDate d = cell.getLocalDateTimeCellValue().toLocalDate();
                        fields.add(d.toString());
                    } else {
                        fields.add(formatter.formatCellValue(cell));
                    }
                }
                out.add(new Csv.Record(r + 1, fields));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new AssetRegister.Refused(List.of(new AssetRegister.RowProblem(
                    0, null, "governance.asset.error.excel", String.valueOf(e.getMessage()))));
        }
    }

    static String targetLabel(Checklist.Target t) {
        return switch (t) {
            case S -> "サーバ";
            case P -> "端末PC";
            case N -> "ネットワーク機器";
            case ALL -> "医療情報システム全般";
            case NONE -> "";
        };
    }

    private static CellStyle bordered(Workbook wb, boolean bold) {
        CellStyle style = wb.createCellStyle();
        style.setBorderTop(BorderStyle.THIN);
        style.setBorderBottom(BorderStyle.THIN);
        style.setBorderLeft(BorderStyle.THIN);
        style.setBorderRight(BorderStyle.THIN);
        if (bold) {
            Font font = wb.createFont();
            font.setBold(true);
            style.setFont(font);
        }
        return style;
    }

    private static void text(Row row, int column, String value, @org.jspecify.annotations.Nullable CellStyle style) {
        Cell cell = row.createCell(column, CellType.STRING);
        cell.setCellValue(value);
        if (style != null) {
            cell.setCellStyle(style);
        }
    }

    private static byte[] bytes(Workbook wb) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        wb.write(out);
        return out.toByteArray();
    }
}
