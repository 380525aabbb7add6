package jp.mamori.auditlog.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointSignatureTest {

    // Published test key and signature of Go's golang.org/x/mod/sumdb/note tests.
    static final String GO_PRIVATE_KEY =
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String GO_TEXT =
            "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    static final String GO_SIGNED = GO_TEXT + "\n"
            + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void signs_exactly_as_the_published_signed_note_vector() throws Exception {
        NoteSigner signer = NoteSigner.parse(GO_PRIVATE_KEY);
        assertThat(signer.verifier().format()).isEqualTo(GO_VERIFIER_KEY);
        assertThat(signer.sign(GO_TEXT).format()).isEqualTo(GO_SIGNED);
    }

    @Test
    void verifies_the_published_note_and_ignores_signatures_by_other_keys() throws Exception {
        NoteVerifier v = NoteVerifier.parse(GO_VERIFIER_KEY);
        String withOther = GO_SIGNED
                + "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
        assertThat(v.verify(SignedNote.parse(withOther))).isTrue();
        assertThat(v.verify(SignedNote.parse(GO_SIGNED.replace("problem,", "problem;"))))
                .isFalse();
    }

    @Test
    void computes_key_ids_as_the_signed_note_spec_defines() throws Exception {
        NoteVerifier v = NoteVerifier.parse(GO_VERIFIER_KEY);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update("PeterNeumann".getBytes(StandardCharsets.UTF_8));
        md.update(new byte[] {0x0a, 0x01});
        md.update(v.publicKey());
        assertThat(HexFormat.of().formatHex(Arrays.copyOf(md.digest(), 4))).isEqualTo("c74f20a3");
        assertThat(v.keyId()).isEqualTo(0xc74f20a3);
    }

    @Test
    void a_signed_checkpoint_verifies_with_the_jdk_ed25519_independently_of_the_signing_code() throws Exception {
        NoteSigner signer = NoteSigner.generate("audit.example-hospital.jp/log/1");
        byte[] root = MessageDigest.getInstance("SHA-256").digest("synthetic".getBytes(StandardCharsets.UTF_8));
        Checkpoint cp = new Checkpoint("audit.example-hospital.jp/log/1", 20852163, root, List.of());
        String note = signer.sign(cp).format();

        String[] parts = note.split("\n");
        assertThat(parts[0]).isEqualTo("audit.example-hospital.jp/log/1");
        assertThat(parts[1]).isEqualTo("20852163");
        assertThat(Base64.getDecoder().decode(parts[2])).isEqualTo(root);
        assertThat(parts[3]).isEmpty();
        assertThat(parts[4]).startsWith("\u2014 audit.example-hospital.jp/log/1 ");
        byte[] sig = Base64.getDecoder().decode(parts[4].substring(parts[4].lastIndexOf(' ') + 1));

        // Independent check: rebuild the public key from the verifier key string and use java.security directly.
        String vkey = signer.verifier().format();
        byte[] keyBytes = Base64.getDecoder().decode(vkey.split("\\+", 3)[2]);
        assertThat(keyBytes[0]).isEqualTo((byte) 1);
        byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] der = Arrays.copyOf(spki, 44);
        System.arraycopy(keyBytes, 1, der, 12, 32);
        PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update("audit.example-hospital.jp/log/1\n".getBytes(StandardCharsets.UTF_8));
        md.update((byte) 1);
        md.update(Arrays.copyOfRange(keyBytes, 1, 33));
        assertThat(Arrays.copyOf(sig, 4)).isEqualTo(Arrays.copyOf(md.digest(), 4));

        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(pub);
        jdk.update((parts[0] + "\n" + parts[1] + "\n" + parts[2] + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(jdk.verify(Arrays.copyOfRange(sig, 4, sig.length))).isTrue();
    }

    @Test
    void opens_a_checkpoint_only_with_a_valid_signature() throws Exception {
        NoteSigner signer = NoteSigner.generate("log.example");
        Checkpoint cp = new Checkpoint("log.example", 7, new byte[32], List.of("extension line"));
        String note = signer.sign(cp).format();
        Checkpoint read = Checkpoint.open(note, signer.verifier());
        assertThat(read.size()).isEqualTo(7);
        assertThat(read.extensions()).containsExactly("extension line");
        assertThatThrownBy(() -> Checkpoint.open(note.replace("\n7\n", "\n8\n"), signer.verifier()))
                .isInstanceOf(NoteFormatException.class)
                .hasMessageContaining("no valid signature");
        assertThatThrownBy(() ->
                        Checkpoint.open(note, NoteSigner.generate("log.example").verifier()))
                .isInstanceOf(NoteFormatException.class);
    }

    @Test
    void refuses_malformed_verifier_keys() {
        assertThatThrownBy(
                        () -> NoteVerifier.parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> NoteVerifier.parse("PeterNeumann+c74f20a3")).isInstanceOf(NoteFormatException.class);
        assertThatThrownBy(
                        () -> NoteVerifier.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(NoteFormatException.class);
    }
}
