package jp.mamori.server.governance;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The columns of the asset register (機器台帳), in the order of the page and of the CSV file. Each
 * knows its database column, its header in the file, and how a typed-in value is read; the same
 * reading serves the form and the import, so both refuse the same mistakes.
 */
enum AssetField {
    NAME("name", "名称", Type.TEXT, true),
    KIND("kind", "種別", Type.KIND, true),
    LOCATION("location", "設置場所", Type.TEXT, false),
    DEPARTMENT("department", "部署", Type.TEXT, false),
    OWNER("owner", "管理者", Type.TEXT, false),
    MAKER("maker", "メーカー", Type.TEXT, false),
    MODEL("model", "型番", Type.TEXT, false),
    SERIAL("serial", "シリアル番号", Type.TEXT, false),
    OS("os", "OS", Type.TEXT, false),
    OS_VERSION("os_version", "OSバージョン", Type.TEXT, false),
    SOFTWARE("software", "導入ソフトウェア(バージョン)", Type.TEXT, false),
    IP_ADDRESS("ip_address", "IPアドレス", Type.IP, false),
    MAC_ADDRESS("mac_address", "MACアドレス", Type.MAC, false),
    NETWORK_SEGMENT("network_segment", "ネットワークセグメント", Type.TEXT, false),
    PURCHASED_ON("purchased_on", "購入日", Type.DATE, false),
    WARRANTY_UNTIL("warranty_until", "保守期限", Type.DATE, false),
    VENDOR("vendor", "保守事業者", Type.TEXT, false),
    REMOTE_MAINTENANCE("remote_maintenance", "リモート保守", Type.BOOL, false),
    PATCH_APPLIED_ON("patch_applied_on", "最終パッチ適用日", Type.DATE, false),
    PATCH_PENDING("patch_pending", "未適用パッチ", Type.TEXT, false),
    SERVICES("services", "稼働サービス", Type.TEXT, false),
    UNNEEDED_SERVICES("unneeded_services", "不要なサービス(停止対象)", Type.TEXT, false),
    EXTERNAL_MEDIA_POLICY("external_media_policy", "USB・外部媒体の扱い", Type.TEXT, false),
    DEFAULT_PASSWORD_CHANGED("default_password_changed", "初期パスワード変更済み", Type.BOOL, false);

    enum Type {
        TEXT,
        KIND,
        DATE,
        BOOL,
        IP,
        MAC
    }

    /** Asset kinds and the words accepted for them in a file. */
    enum Kind {
        SERVER("サーバ"),
        PC("端末PC"),
        NETWORK("ネットワーク機器"),
        MEDICAL_DEVICE("医療機器");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static final int MAX_TEXT = 4000;
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)(/\\d{1,2})?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}(/\\d{1,3})?");
    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}([-:])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");

    final String column;
    final String header;
    final Type type;
    final boolean required;

    AssetField(String column, String header, Type type, boolean required) {
        this.column = column;
        this.header = header;
        this.type = type;
        this.required = required;
    }

    public String header() {
        return header;
    }

    public String param() {
        return column;
    }

    public String type() {
        return type.name();
    }

    /** A problem with one value, as a message key and its arguments (field, value). */
    record Problem(AssetField field, String messageKey, String value) {}

    /**
     * Reads a typed-in value; blank is null (false for yes/no). Throws {@link ValueRefused} with a
     * message key when the value cannot be read.
     */
    @Nullable
    Object read(@Nullable String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            if (required) {
                throw new ValueRefused(new Problem(this, "governance.asset.error.required", v));
            }
            return type == Type.BOOL ? Boolean.FALSE : null;
        }
        if (v.length() > MAX_TEXT) {
            throw new ValueRefused(new Problem(this, "governance.asset.error.tooLong", v.substring(0, 20) + "…"));
        }
        return switch (type) {
            case TEXT -> v;
            case KIND -> kind(v);
            case DATE -> date(v);
            case BOOL -> bool(v);
            case IP -> {
                if (!IPV4.matcher(v).matches()
                        && !(v.contains(":") && IPV6.matcher(v).matches())) {
                    throw new ValueRefused(new Problem(this, "governance.asset.error.ip", v));
                }
                yield v;
            }
            case MAC -> {
                if (!MAC.matcher(v).matches()) {
                    throw new ValueRefused(new Problem(this, "governance.asset.error.mac", v));
                }
                yield v.toUpperCase(Locale.ROOT).replace('-', ':');
            }
        };
    }

    /** The value as written in a file or form field. */
    String write(@Nullable Object value) {
        if (value == null) {
            return "";
        }
        return switch (type) {
            case KIND -> ((Kind) value).label();
            case BOOL -> ((Boolean) value) ? "はい" : "いいえ";
            default -> value.toString();
        };
    }

    private Kind kind(String v) {
        for (Kind k : Kind.values()) {
            if (k.label.equals(v) || k.name().equalsIgnoreCase(v)) {
                return k;
            }
        }
        throw new ValueRefused(new Problem(this, "governance.asset.error.kind", v));
    }

    private LocalDate date(String v) {
        for (String pattern : new String[] {"uuuu-MM-dd", "uuuu/M/d"}) {
            try {
                return LocalDate.parse(v, DateTimeFormatter.ofPattern(pattern));
            } catch (DateTimeParseException e) {
                // try the next way of writing it
            }
        }
        throw new ValueRefused(new Problem(this, "governance.asset.error.date", v));
    }

    private Boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "はい", "yes", "true", "1", "○", "有" -> true;
            case "いいえ", "no", "false", "0", "×", "無" -> false;
            default -> throw new ValueRefused(new Problem(this, "governance.asset.error.bool", v));
        };
    }

    static final class ValueRefused extends RuntimeException {
        final Problem problem;

        ValueRefused(Problem problem) {
            super(problem.messageKey());
            this.problem = problem;
        }
    }
}
