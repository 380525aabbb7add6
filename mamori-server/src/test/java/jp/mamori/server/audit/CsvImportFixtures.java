package jp.mamori.server.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Synthetic access-log exports, as an EHR would write them, for the import tests. */
public final class CsvImportFixtures {

    static final Charset SJIS = Charset.forName("windows-31j");

    private CsvImportFixtures() {}

    /**
     * A synthetic EHR export in Shift_JIS with good lines and one of each kind of bad line. Line 3
     * holds a quoted field with a line break, so it ends on line 4.
     */
    public static byte[] export(String prefix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "日時,利用者ID,氏名,患者ID,操作,端末,画面,結果\r\n", SJIS);
        write(out, "2026/01/05 09:15:00," + prefix + "dr-1,試験 太郎," + prefix + "P-0001,参照,OPD-1,カルテ,成功\r\n", SJIS);
        write(
                out,
                "\"2026/01/05 09:16:00\",\"" + prefix + "dr-1\",\"試験, 太郎\",\"" + prefix
                        + "P-0001\",\"更新\",\"OPD-1\",\"カルテ\r\n2号用紙\",\"成功\"\r\n",
                SJIS);
        write(out, "2026/13/45 25:00:00," + prefix + "dr-2,試験 花子," + prefix + "P-0002,参照,WARD-3,カルテ,成功\r\n", SJIS);
        write(out, "2026/01/05 09:18:00," + prefix + "dr-2,試験 花子," + prefix + "P-0002,参照\r\n", SJIS);
        write(out, "2026/01/05 09:19:00,\"" + prefix + "dr-3,試験 三郎," + prefix + "P-0003,参照,OPD-2,カルテ,成功\r\n", SJIS);
        write(
                out,
                "2026/01/05 09:20:00," + prefix + "dr-4,試験 四郎," + prefix + "P-0004,参照,OPD-2,カルテ,成功\r\n",
                StandardCharsets.UTF_8);
        write(out, "2026/01/05 09:21:00," + prefix + "dr-5,試験 五郎," + prefix + "P-0005,印刷,OPD-2,処方箋,失敗\r\n", SJIS);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s, Charset cs) {
        out.writeBytes(s.getBytes(cs));
    }
}
