package jp.mamori.backup.repository;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * The repository's secrets, the same for every key file: the AES-256 key that seals every object,
 * the HMAC key that names blobs, and an Ed25519 key pair that signs restore-drill records.
 *
 * @param encrypt 32 bytes
 * @param id 32 bytes
 * @param signPrivate PKCS#8 encoding of the Ed25519 private key
 * @param signPublic X.509 encoding of the Ed25519 public key
 */
public record MasterKeys(byte[] encrypt, byte[] id, byte[] signPrivate, byte[] signPublic) {

    public static MasterKeys generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new MasterKeys(
                    Crypto.random(32),
                    Crypto.random(32),
                    pair.getPrivate().getEncoded(),
                    pair.getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    public Crypto crypto() {
        return new Crypto(encrypt, id);
    }

    public PrivateKey signingKey() {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(signPrivate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the repository's signing key cannot be read", e);
        }
    }

    public PublicKey verifyingKey() {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(signPublic));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the repository's verifying key cannot be read", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKeys[…]";
    }
}
