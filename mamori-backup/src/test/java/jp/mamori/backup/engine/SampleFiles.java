package jp.mamori.backup.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

/** Synthetic folders for tests: invented HL7-like text, documents, and random "images". */
final class SampleFiles {

    private SampleFiles() {}

    static Path clinic(Path root, long seed) throws IOException {
        Random r = new Random(seed);
        for (int p = 0; p < 6; p++) {
            String patient = String.format("%010d", 9000000000L + p);
            for (int d = 0; d < 3; d++) {
                Path dir = root.resolve("ssmix2/" + patient.substring(0, 3) + "/" + patient.substring(3, 6) + "/"
                        + patient + "/2026" + String.format("%02d", d * 4 + 1) + "15/OML-11");
                Files.createDirectories(dir);
                Files.writeString(
                        dir.resolve(patient + "_OML-11_" + d + ".hl7"), hl7(r, patient), StandardCharsets.UTF_8);
            }
        }
        Path docs = Files.createDirectories(root.resolve("documents"));
        for (int i = 0; i < 4; i++) {
            Files.writeString(docs.resolve("letter-" + i + ".txt"), ("紹介状 (synthetic) " + i + "\n").repeat(2000 + i));
        }
        Path images = Files.createDirectories(root.resolve("images"));
        for (int i = 0; i < 2; i++) {
            byte[] img = new byte[3 * 1024 * 1024 + i * 12345];
            r.nextBytes(img);
            Files.write(images.resolve("scan-" + i + ".dcm"), img);
        }
        Files.write(root.resolve("empty.txt"), new byte[0]);
        return root;
    }

    static String hl7(Random r, String patient) {
        StringBuilder s = new StringBuilder();
        s.append("MSH|^~\\&|TESTEHR|TESTHOSP|||20260115||OML^O33|")
                .append(r.nextInt(1_000_000))
                .append("|P|2.5\r");
        s.append("PID|||").append(patient).append("||試験^太郎||19700101|M\r");
        for (int i = 0; i < 40; i++) {
            s.append("OBX|")
                    .append(i)
                    .append("|NM|TEST")
                    .append(i)
                    .append("||")
                    .append(r.nextInt(500))
                    .append("\r");
        }
        return s.toString();
    }

    /** The latest generation restores without errors to exactly the source's files. */
    static void assertRestoresTo(jp.mamori.backup.repository.Repository repo, Path source, Path out)
            throws IOException {
        Restore.Result r = new Restore(repo, Progress.SILENT).run(Restore.Options.of("latest", out));
        if (!r.ok()) {
            throw new AssertionError("restore reported errors: " + r.errors());
        }
        assertSameTree(source, out.resolve(source.getFileName().toString()));
    }

    /** Every regular file's bytes are equal in both folders, and both hold the same files. */
    static void assertSameTree(Path expected, Path actual) throws IOException {
        try (Stream<Path> walk = Files.walk(expected)) {
            for (Path e : (Iterable<Path>) walk::iterator) {
                Path a = actual.resolve(expected.relativize(e).toString());
                if (Files.isRegularFile(e)) {
                    if (!Files.exists(a) || Files.mismatch(e, a) != -1) {
                        throw new AssertionError("restored " + a + " differs from " + e);
                    }
                    if (Files.getLastModifiedTime(e).toMillis()
                            != Files.getLastModifiedTime(a).toMillis()) {
                        throw new AssertionError("modification time of " + a + " not restored");
                    }
                } else if (Files.isDirectory(e) && !Files.isDirectory(a)) {
                    throw new AssertionError("folder " + a + " missing");
                }
            }
        }
        try (Stream<Path> walk = Files.walk(actual)) {
            long extra = walk.filter(a ->
                            !Files.exists(expected.resolve(actual.relativize(a).toString())))
                    .count();
            if (extra > 0) {
                throw new AssertionError(extra + " files restored that were not backed up");
            }
        }
    }
}
