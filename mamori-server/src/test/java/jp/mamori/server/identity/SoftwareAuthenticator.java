package jp.mamori.server.identity;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A passkey authenticator in plain Java, for driving the real WebAuthn endpoints: a P-256 key made
 * by the JDK, "none" attestation, authenticator data and CBOR written here byte by byte as the
 * WebAuthn Level 3 specification lays them out, ES256 signatures from {@link Signature}. It always
 * reports user presence and user verification, like a platform authenticator after a face or
 * fingerprint check.
 */
public final class SoftwareAuthenticator {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final KeyPair keys;
    final byte[] credentialId = new byte[16];
    private final String rpId;
    String origin;
    long counter;
    byte[] userHandle;

    public SoftwareAuthenticator(String rpId, String origin) {
        this.rpId = rpId;
        this.origin = origin;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        new SecureRandom().nextBytes(credentialId);
    }

    public String credentialIdText() {
        return B64.encodeToString(credentialId);
    }

    /** The registration request body for {@code POST /webauthn/register}, from the creation options. */
    public String register(String creationOptionsJson, String label) {
        JsonNode options = JSON.readTree(creationOptionsJson);
        String challenge = options.path("challenge").asString();
        userHandle = B64D.decode(options.path("user").path("id").asString());
        byte[] clientData = clientData("webauthn.create", challenge);
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(0x01 | 0x04 | 0x40); // user present, user verified, attested credential data
        authData.writeBytes(ByteBuffer.allocate(4).putInt((int) counter).array());
        authData.writeBytes(new byte[16]); // AAGUID: none
        authData.writeBytes(
                ByteBuffer.allocate(2).putShort((short) credentialId.length).array());
        authData.writeBytes(credentialId);
        authData.writeBytes(coseKey());
        Map<Object, Object> attestation = new LinkedHashMap<>();
        attestation.put("fmt", "none");
        attestation.put("attStmt", Map.of());
        attestation.put("authData", authData.toByteArray());
        return """
                {"publicKey":{"label":%s,"credential":{"id":"%s","rawId":"%s","type":"public-key",
                "response":{"attestationObject":"%s","clientDataJSON":"%s","transports":["internal"]},
                "clientExtensionResults":{},"authenticatorAttachment":"platform"}}}"""
                .formatted(
                        JSON.writeValueAsString(label),
                        credentialIdText(),
                        credentialIdText(),
                        B64.encodeToString(Cbor.encode(attestation)),
                        B64.encodeToString(clientData));
    }

    /** The sign-in body for {@code POST /login/webauthn}: a fresh signature over the options' challenge. */
    public String assertion(String requestOptionsJson) {
        counter++;
        return assertionAt(JSON.readTree(requestOptionsJson).path("challenge").asString(), counter);
    }

    String assertionAt(String challenge, long signCount) {
        byte[] clientData = clientData("webauthn.get", challenge);
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(0x01 | 0x04);
        authData.writeBytes(ByteBuffer.allocate(4).putInt((int) signCount).array());
        byte[] signature = sign(authData.toByteArray(), sha256(clientData));
        return """
                {"id":"%s","rawId":"%s","type":"public-key","response":{"authenticatorData":"%s",
                "clientDataJSON":"%s","signature":"%s","userHandle":"%s"},"clientExtensionResults":{},
                "authenticatorAttachment":"platform"}"""
                .formatted(
                        credentialIdText(),
                        credentialIdText(),
                        B64.encodeToString(authData.toByteArray()),
                        B64.encodeToString(clientData),
                        B64.encodeToString(signature),
                        B64.encodeToString(userHandle));
    }

    private byte[] clientData(String type, String challenge) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
                        + "\",\"crossOrigin\":false}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] sign(byte[] authData, byte[] clientDataHash) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(keys.getPrivate());
            s.update(authData);
            s.update(clientDataHash);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as a COSE_Key (RFC 9052): EC2, ES256, P-256, x and y as 32 bytes each. */
    private byte[] coseKey() {
        ECPublicKey pub = (ECPublicKey) keys.getPublic();
        Map<Object, Object> key = new LinkedHashMap<>();
        key.put(1, 2); // kty: EC2
        key.put(3, -7); // alg: ES256
        key.put(-1, 1); // crv: P-256
        key.put(-2, fixed32(pub.getW().getAffineX()));
        key.put(-3, fixed32(pub.getW().getAffineY()));
        return Cbor.encode(key);
    }

    private static byte[] fixed32(BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The few CBOR (RFC 8949) items WebAuthn needs: integers, byte and text strings, maps. */
    static final class Cbor {
        private Cbor() {}

        static byte[] encode(Object item) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, item);
            return out.toByteArray();
        }

        private static void write(ByteArrayOutputStream out, Object item) {
            if (item instanceof Integer i) {
                if (i >= 0) {
                    head(out, 0, i);
                } else {
                    head(out, 1, -1L - i);
                }
            } else if (item instanceof byte[] b) {
                head(out, 2, b.length);
                out.writeBytes(b);
            } else if (item instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                head(out, 3, b.length);
                out.writeBytes(b);
            } else if (item instanceof Map<?, ?> m) {
                head(out, 5, m.size());
                m.forEach((k, v) -> {
                    write(out, k);
                    write(out, v);
                });
            } else {
                throw new IllegalArgumentException("not encodable here: " + item.getClass());
            }
        }

        private static void head(ByteArrayOutputStream out, int major, long n) {
            int m = major << 5;
            if (n < 24) {
                out.write(m | (int) n);
            } else if (n < 0x100) {
                out.write(m | 24);
                out.write((int) n);
            } else if (n < 0x10000) {
                out.write(m | 25);
                out.writeBytes(ByteBuffer.allocate(2).putShort((short) n).array());
            } else {
                out.write(m | 26);
                out.writeBytes(ByteBuffer.allocate(4).putInt((int) n).array());
            }
        }
    }
}
