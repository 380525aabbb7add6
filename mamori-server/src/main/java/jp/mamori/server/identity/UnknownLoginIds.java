package jp.mamori.server.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the access log keeps of a login ID that matches no account. People sometimes type their
 * password into the ID field; a short digest lets repeated attempts be counted without storing
 * what was typed.
 */
final class UnknownLoginIds {
    private UnknownLoginIds() {}

    static String redact(String typed) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(typed.getBytes(StandardCharsets.UTF_8));
            return "unknown:" + HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
