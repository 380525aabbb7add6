package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How exports are split into records and how their encoding is told, without the server. */
class CsvEncodingTest {

    static final Charset SJIS = Charset.forName("windows-31j");

    @TempDir
    Path tmp;

    @Test
    void tells_utf8_from_shift_jis_without_a_decoder() {
        assertThat(CsvImports.isUtf8("参照,更新,ｶﾙﾃ,😀".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(CsvImports.isUtf8("参照,更新".getBytes(SJIS))).isFalse();
        byte[] cut = "参".getBytes(StandardCharsets.UTF_8);
        assertThat(CsvImports.isUtf8(new byte[] {cut[0], cut[1]})).isFalse();
        assertThat(CsvImports.isUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF})).isFalse(); // overlong "/"
        assertThat(CsvImports.isUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))
                .isFalse(); // surrogate
        assertThat(CsvImports.detectEncoding("\uFEFFa,b\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("UTF-8");
        assertThat(CsvImports.detectEncoding("日時,利用者\r\n1,2\r\n".getBytes(SJIS)))
                .isEqualTo("windows-31j");
        assertThat(CsvImports.detectEncoding("日時,利用者\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("UTF-8");
        assertThat(CsvImports.detectDelimiter("a\tb\tc,d\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("tab");
    }

    @Test
    void splits_records_by_rfc_4180_and_resumes_after_a_broken_one() throws Exception {
        Path file = tmp.resolve("x.csv");
        Files.write(
                file,
                ("a,b,c\r\n"
                                + "\"1,5\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
                                + "x\"y,2,3\n"
                                + "\"open,2,3\n"
                                + "\n"
                                + "4,5,\n"
                                + "\"q\"z,1,2\n"
                                + "last,1,2")
                        .getBytes(SJIS));
        List<String> rows = new ArrayList<>();
        try (DelimitedReader r = new DelimitedReader(file, (byte) ',')) {
            for (DelimitedReader.Row row; (row = r.next()) != null; ) {
                if (row instanceof DelimitedReader.Record rec) {
                    List<String> fields = new ArrayList<>();
                    rec.fields().forEach(f -> fields.add(new String(f, SJIS)));
                    rows.add(rec.line() + " " + fields);
                } else {
                    DelimitedReader.Broken b = (DelimitedReader.Broken) row;
                    rows.add(b.line() + " field " + b.field() + ": " + b.problem());
                }
            }
        }
        assertThat(rows)
                .containsExactly(
                        "1 [a, b, c]",
                        "2 [1,5, say \"hi\", two\nlines]",
                        "4 field 1: a quote inside a field that does not start with a quote",
                        "5 field 1: a quoted field is never closed (the next quote, on line 8, does not end a field)",
                        "7 [4, 5, ]",
                        "8 field 1: text follows the closing quote (a quote inside the field must be doubled)",
                        "9 [last, 1, 2]");
    }
}
