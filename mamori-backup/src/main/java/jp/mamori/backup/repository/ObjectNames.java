package jp.mamori.backup.repository;

import java.util.HexFormat;

/** Object names: lower-case hex (64 characters for content-named objects), or {@code config}. */
public final class ObjectNames {

    private ObjectNames() {}

    /** A name is 1–128 characters of lower-case hex, or the word {@code config}; nothing else reaches a path. */
    public static boolean isValid(String name) {
        if (name.equals("config")) {
            return true;
        }
        if (name.isEmpty() || name.length() > 128) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
