package jp.mamori.auditlog.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

/**
 * Signs notes with an Ed25519 key. The private key string has the form {@code
 * PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>}, as Go's {@code sumdb/note} writes it;
 * keep it in a secret store, never in a log line.
 */
public final class NoteSigner {

    private final String name;
    private final int keyId;
    private final PrivateKey privateKey;
    private final NoteVerifier verifier;

    private NoteSigner(String name, KeyPair pair) {
        this.name = name;
        this.privateKey = pair.getPrivate();
        byte[] pub = Ed25519Keys.rawPublicKey(pair.getPublic());
        this.keyId = Ed25519Keys.keyId(name, pub);
        this.verifier = new NoteVerifier(name, keyId, pair.getPublic(), pub);
    }

    /** A signer for a fresh random key. */
    public static NoteSigner generate(String name) throws GeneralSecurityException {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return fromSeed(name, seed);
    }

    /** A signer for the RFC 8032 private key {@code seed} (32 bytes). */
    public static NoteSigner fromSeed(String name, byte[] seed) throws GeneralSecurityException {
        try {
            SignedNote.checkKeyName(name, 0);
        } catch (NoteFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new NoteSigner(name, Ed25519Keys.fromSeed(seed));
    }

    /** Reads a private key string {@code PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>}. */
    public static NoteSigner parse(String privateKey) throws NoteFormatException, GeneralSecurityException {
        String[] parts = privateKey.trim().split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new NoteFormatException("private key is not PRIVATE+KEY+<name>+<id>+<key>", 0);
        }
        byte[] k;
        try {
            k = Base64.getDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("private key is not base64", 0);
        }
        if (k.length != 33 || k[0] != Ed25519Keys.ALGORITHM_ED25519) {
            throw new NoteFormatException("private key is not an Ed25519 key (0x01 and 32 bytes)", 0);
        }
        NoteSigner s = fromSeed(parts[2], java.util.Arrays.copyOfRange(k, 1, 33));
        if (!String.format("%08x", s.keyId).equals(parts[3])) {
            throw new NoteFormatException("private key ID " + parts[3] + " does not match the key", 0);
        }
        return s;
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    /** The verifier key to hand to auditors. */
    public NoteVerifier verifier() {
        return verifier;
    }

    /** Signs {@code text} (which must end in a newline) and returns the signed note. */
    public SignedNote sign(String text) throws GeneralSecurityException {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("note text must end with a newline");
        }
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(text.getBytes(StandardCharsets.UTF_8));
        return new SignedNote(text, List.of(new SignedNote.Signature(name, keyId, s.sign())));
    }

    /** Signs a checkpoint. */
    public SignedNote sign(Checkpoint checkpoint) throws GeneralSecurityException {
        return sign(checkpoint.text());
    }
}
