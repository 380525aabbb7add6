package jp.mamori.auditlog.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Mutated checkpoints are refused with a {@link NoteFormatException} or by the signature, never otherwise. */
class NoteFuzzTest {

    private static final String NOTE = CheckpointSignatureTest.GO_SIGNED;
    private static final String CHECKPOINT_TEXT =
            "audit.example/log\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    @Property(tries = 3000)
    void mutated_notes_and_checkpoints_fail_only_with_the_parse_error(
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int seed) throws Exception {
        Random r = new Random(seed);
        NoteVerifier v = NoteVerifier.parse(CheckpointSignatureTest.GO_VERIFIER_KEY);
        String note = mutate(NOTE, r);
        try {
            SignedNote n = SignedNote.parse(note);
            boolean ok = v.verify(n);
            if (ok) {
                assertThat(n.text()).isEqualTo(CheckpointSignatureTest.GO_TEXT);
            }
        } catch (NoteFormatException e) {
            assertThat(e.line()).isNotNegative();
        }
        String cp = mutate(CHECKPOINT_TEXT, r);
        try {
            Checkpoint.parse(cp);
        } catch (NoteFormatException e) {
            assertThat(e.line()).isNotNegative();
        }
    }

    static String mutate(String s, Random r) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + r.nextInt(3);
        String alphabet = "\n \u2014+=/A0\u0000\uD800-x";
        for (int i = 0; i < edits && sb.length() > 0; i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                case 1 -> sb.deleteCharAt(at);
                default -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
            }
        }
        return sb.toString();
    }
}
