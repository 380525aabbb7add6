package jp.mamori.auditlog.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Verifies Ed25519 note signatures by one key, given as a C2SP verifier key {@code <name>+<hex key
 * ID>+<base64(0x01 || 32-byte public key)>}.
 */
public final class NoteVerifier {

    private final String name;
    private final int keyId;
    private final PublicKey publicKey;
    private final byte[] rawPublicKey;

    NoteVerifier(String name, int keyId, PublicKey publicKey, byte[] rawPublicKey) {
        this.name = name;
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.rawPublicKey = rawPublicKey.clone();
    }

    /** Reads a verifier key; checks that the key ID matches the name and key. */
    public static NoteVerifier parse(String vkey) throws NoteFormatException {
        String[] parts = vkey.trim().split("\\+", 3);
        if (parts.length != 3) {
            throw new NoteFormatException("verifier key is not <name>+<hex key ID>+<base64 key>", 0);
        }
        String name = parts[0];
        SignedNote.checkKeyName(name, 0);
        if (!parts[1].matches("[0-9a-f]{8}")) {
            throw new NoteFormatException("verifier key ID is not 8 lowercase hex digits", 0);
        }
        int id = (int) Long.parseLong(parts[1], 16);
        byte[] k;
        try {
            k = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("verifier key is not base64", 0);
        }
        if (k.length != 33 || k[0] != Ed25519Keys.ALGORITHM_ED25519) {
            throw new NoteFormatException("verifier key is not an Ed25519 key (0x01 and 32 bytes)", 0);
        }
        byte[] raw = java.util.Arrays.copyOfRange(k, 1, 33);
        if (Ed25519Keys.keyId(name, raw) != id) {
            throw new NoteFormatException("verifier key ID " + parts[1] + " does not match the name and key", 0);
        }
        try {
            return new NoteVerifier(name, id, Ed25519Keys.publicKey(raw), raw);
        } catch (GeneralSecurityException e) {
            throw new NoteFormatException("verifier key is not a valid Ed25519 public key", 0);
        }
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    /** The raw 32-byte public key. */
    public byte[] publicKey() {
        return rawPublicKey.clone();
    }

    /** The verifier key string. */
    public String format() {
        byte[] k = new byte[33];
        k[0] = Ed25519Keys.ALGORITHM_ED25519;
        System.arraycopy(rawPublicKey, 0, k, 1, 32);
        return name + "+" + HexFormat.of().toHexDigits(keyId) + "+"
                + Base64.getEncoder().encodeToString(k);
    }

    /**
     * True when the note carries a valid signature by this key. Signatures by other keys are ignored, as
     * the signed-note spec requires.
     */
    public boolean verify(SignedNote note) {
        for (SignedNote.Signature s : note.signatures()) {
            if (s.keyName().equals(name) && s.keyId() == keyId && verify(note.text(), s.signature())) {
                return true;
            }
        }
        return false;
    }

    private boolean verify(String text, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        try {
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(publicKey);
            v.update(text.getBytes(StandardCharsets.UTF_8));
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return format();
    }
}
