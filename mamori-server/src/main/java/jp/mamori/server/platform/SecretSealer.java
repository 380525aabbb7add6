package jp.mamori.server.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Seals secrets the server must read back (TOTP seeds) with AES-256-GCM, and computes keyed digests
 * of values that must be found but not revealed (card UIDs, terminal credentials). The key is
 * {@code MAMORI_MASTER_KEY} (base64, 32 bytes) or, by default, a file created on first start in the
 * data folder and readable by its owner only.
 */
@Component
public class SecretSealer {

    private static final int NONCE = 12;
    private final SecretKeySpec sealKey;
    private final SecretKeySpec digestKey;
    private final SecureRandom random = new SecureRandom();

    public SecretSealer(MamoriProperties properties) {
        byte[] master = loadOrCreate(properties.dataDir().resolve("keys").resolve("master.key"));
        this.sealKey = new SecretKeySpec(derive(master, "mamori seal v1"), "AES");
        this.digestKey = new SecretKeySpec(derive(master, "mamori digest v1"), "HmacSHA256");
    }

    public byte[] seal(byte[] plain, String purpose) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(128, nonce));
            c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] body = c.doFinal(plain);
            return ByteBuffer.allocate(NONCE + body.length).put(nonce).put(body).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public byte[] open(byte[] sealed, String purpose) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(128, sealed, 0, NONCE));
            c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "A sealed " + purpose + " cannot be opened: the master key differs from the one it was sealed with",
                    e);
        }
    }

    /** HMAC-SHA-256 of the value under the digest key, hex. */
    public String digest(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(digestKey);
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    private static byte[] derive(byte[] master, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    private byte[] loadOrCreate(Path file) {
        String fromEnv = System.getenv("MAMORI_MASTER_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            byte[] key = Base64.getDecoder().decode(fromEnv.trim());
            if (key.length != 32) {
                throw new IllegalStateException("MAMORI_MASTER_KEY must be 32 bytes in base64");
            }
            return key;
        }
        try {
            if (Files.exists(file)) {
                byte[] key = Base64.getDecoder().decode(Files.readString(file).trim());
                if (key.length != 32) {
                    throw new IllegalStateException("The master key file " + file + " does not hold 32 bytes");
                }
                return key;
            }
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            random.nextBytes(key);
            Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder's ACL applies
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the master key file " + file, e);
        }
    }
}
