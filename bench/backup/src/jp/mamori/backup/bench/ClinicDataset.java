package jp.mamori.backup.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A generated, clinic-like dataset: an SS-MIX2-shaped tree of many small HL7 text messages,
 * documents, large incompressible images and an EHR database dump — and the day-2 change applied to
 * it (5% of files modified, 1% added, 1% deleted). Everything is synthetic and deterministic for a
 * seed, so every run and every tool sees the same bytes.
 */
final class ClinicDataset {

    private static final String[] WORDS = {
        "OBX", "NM", "ST", "CWE", "PID", "PV1", "ORC", "OBR", "mg/dL", "U/L", "mmol/L", "HbA1c", "AST", "ALT", "CRP",
        "WBC", "RBC", "PLT", "Na", "K", "Cl", "BUN", "Cre", "eGFR", "TP", "ALB", "T-Bil", "LDH", "CK", "Glu", "H", "L",
        "N", "F", "試験", "検体", "血清", "尿", "外来", "入院", "内科", "外科", "処方", "注射", "検査", "結果"
    };

    final Path root;
    private final long targetBytes;
    private final SplittableRandom random;

    ClinicDataset(Path root, long targetBytes, long seed) {
        this.root = root;
        this.targetBytes = targetBytes;
        this.random = new SplittableRandom(seed);
    }

    /** Writes the day-1 dataset; returns its size in bytes. */
    long create() throws IOException {
        long hl7 = (long) (targetBytes * 0.30);
        long docs = (long) (targetBytes * 0.20);
        long images = (long) (targetBytes * 0.35);
        long dump = targetBytes - hl7 - docs - images;
        long written = 0;
        int patient = 0;
        long w = 0;
        while (w < hl7) {
            String id = String.format("%010d", 1_000_000_000L + patient * 7919L % 1_000_000_000L);
            Path dir = root.resolve("ssmix2/" + id.substring(0, 3) + "/" + id.substring(3, 6) + "/" + id);
            for (int day = 0; day < 8 && w < hl7; day++) {
                String date = String.format("2025%02d%02d", 1 + (patient + day) % 12, 1 + (day * 3) % 28);
                Path d = Files.createDirectories(dir.resolve(date + "/OML-11"));
                byte[] msg = hl7Message(id, 2_000 + random.nextInt(18_000));
                Files.write(d.resolve(id + "_" + date + "_OML-11_" + day + ".hl7"), msg);
                w += msg.length;
            }
            patient++;
        }
        written += w;
        Path docDir = Files.createDirectories(root.resolve("documents"));
        w = 0;
        for (int i = 0; w < docs; i++) {
            byte[] doc = text(50_000 + random.nextInt(2_000_000));
            Files.write(docDir.resolve(String.format("document-%05d.txt", i)), doc);
            w += doc.length;
        }
        written += w;
        Path imgDir = Files.createDirectories(root.resolve("images"));
        w = 0;
        for (int i = 0; w < images; i++) {
            int size = 2_000_000 + random.nextInt(18_000_000);
            writeRandom(imgDir.resolve(String.format("image-%04d.dcm", i)), size, random.nextLong());
            w += size;
        }
        written += w;
        Path dbDir = Files.createDirectories(root.resolve("ehr-db"));
        written += writeDump(dbDir.resolve("ehr.sql"), dump, random.nextLong(), 0);
        return written;
    }

    /** Day 2: 5% of files modified, 1% added, 1% deleted; the dump has 5% of its rows changed. */
    void changeForDay2() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        Random r = new Random(42);
        java.util.Collections.shuffle(files, r);
        int n = files.size();
        int modified = Math.max(1, n * 5 / 100);
        int deleted = Math.max(1, n / 100);
        for (int i = 0; i < modified; i++) {
            Path f = files.get(i);
            String name = f.getFileName().toString();
            if (name.endsWith(".sql")) {
                long size = Files.size(f);
                writeDump(f, size, 0, 2);
            } else if (name.endsWith(".dcm")) {
                writeRandom(f, (int) Files.size(f), r.nextLong());
            } else {
                byte[] old = Files.readAllBytes(f);
                int at = r.nextInt(Math.max(1, old.length));
                byte[] edit = text(200 + r.nextInt(2_000));
                byte[] out = new byte[old.length + edit.length];
                System.arraycopy(old, 0, out, 0, at);
                System.arraycopy(edit, 0, out, at, edit.length);
                System.arraycopy(old, at, out, at + edit.length, old.length - at);
                Files.write(f, out);
            }
        }
        for (int i = modified; i < modified + deleted; i++) {
            if (!files.get(i).getFileName().toString().endsWith(".sql")) {
                Files.delete(files.get(i));
            }
        }
        int added = Math.max(1, n / 100);
        Path newDir = Files.createDirectories(root.resolve("ssmix2/999/999/9999999999/20251124/OML-11"));
        for (int i = 0; i < added; i++) {
            Files.write(newDir.resolve("added-" + i + ".hl7"), hl7Message("9999999999", 2_000 + r.nextInt(18_000)));
        }
    }

    private byte[] hl7Message(String patient, int size) {
        StringBuilder s = new StringBuilder(size + 200);
        s.append("MSH|^~\\&|BENCHEHR|BENCHHOSP|||20250101||OML^O33|").append(random.nextInt()).append("|P|2.5\r");
        s.append("PID|||").append(patient).append("||試験^患者||19700101|F\r");
        int i = 1;
        while (s.length() < size) {
            s.append("OBX|").append(i++).append("|NM|").append(WORDS[random.nextInt(WORDS.length)]).append("||")
                    .append(random.nextInt(1000)).append('|').append(WORDS[random.nextInt(WORDS.length)])
                    .append("|||||F\r");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] text(int size) {
        StringBuilder s = new StringBuilder(size + 100);
        while (s.length() < size) {
            s.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(10) == 0 ? "\n" : " ");
            if (random.nextInt(50) == 0) {
                s.append(random.nextLong()).append(' ');
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeRandom(Path file, int size, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            int left = size;
            while (left > 0) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = r.nextLong();
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                int n = Math.min(left, buf.length);
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    /**
     * An SQL dump of a patient-record table. With {@code version} > 0 the same rows come out, but
     * every 20th row carries an update — 5% of rows changed, spread through the file.
     */
    private static long writeDump(Path file, long size, long seedIgnored, int version) throws IOException {
        long written = 0;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            byte[] header = "-- synthetic EHR dump\nCOPY records (id, patient, kind, body) FROM stdin;\n"
                    .getBytes(StandardCharsets.UTF_8);
            out.write(header);
            written += header.length;
            SplittableRandom r = new SplittableRandom(7);
            for (long row = 0; written < size; row++) {
                int kind = r.nextInt(WORDS.length);
                long value = r.nextLong();
                String body = WORDS[kind] + " " + value + " " + WORDS[(kind + 7) % WORDS.length] + " "
                        + (r.nextInt(100_000));
                if (version > 0 && row % 20 == 0) {
                    body = body + " updated-" + version;
                }
                byte[] line = (row + "\t" + (row % 50_000) + "\t" + kind + "\t" + body + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(line);
                written += line.length;
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return written;
    }
}
