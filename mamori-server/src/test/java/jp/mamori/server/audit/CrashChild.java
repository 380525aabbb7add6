package jp.mamori.server.audit;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jp.mamori.auditlog.export.ExportVerifier;
import jp.mamori.auditlog.export.VerificationResult;
import jp.mamori.server.MamoriApplication;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The server in a process of its own, for {@link CrashRecoveryTest}: in {@code append} mode it
 * appends access events from two threads through the server's own path and prints {@code ACK
 * <index> <patient>} for each only after its append returned (the event is committed); it runs until
 * it is killed. In {@code verify} mode it starts on the same data folder, signs a checkpoint,
 * exports and verifies the log offline, and writes what the log holds for the parent to compare.
 */
public final class CrashChild {

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dataDir = Path.of(args[1]);
        ConfigurableApplicationContext ctx = SpringApplication.run(
                MamoriApplication.class,
                "--mamori.data-dir=" + dataDir,
                "--server.port=0",
                "--mamori.audit.origin=crash.test/audit",
                "--logging.level.root=WARN");
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        if (mode.equals("append")) {
            AccessEvents events = ctx.getBean(AccessEvents.class);
            out.println("READY");
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                Thread w = new Thread(() -> {
                    for (int n = 0; ; n++) {
                        int size = 1 + n % 5;
                        List<AuditEvent> batch = new ArrayList<>();
                        List<String> patients = new ArrayList<>();
                        for (int k = 0; k < size; k++) {
                            String patient = "CRASH-" + thread + "-" + n + "-" + k;
                            patients.add(patient);
                            batch.add(FhirAuditEventTest.read("dr-crash-" + thread, patient, "WARD-C"));
                        }
                        List<Long> indexes = events.store(batch);
                        StringBuilder acks = new StringBuilder();
                        for (int k = 0; k < size; k++) {
                            acks.append("ACK ")
                                    .append(indexes.get(k))
                                    .append(' ')
                                    .append(patients.get(k))
                                    .append('\n');
                        }
                        synchronized (out) {
                            out.print(acks);
                            out.flush();
                        }
                    }
                });
                w.start();
                threads.add(w);
            }
            for (Thread w : threads) {
                w.join();
            }
        } else {
            FacilityLog log = ctx.getBean(FacilityLog.class);
            log.checkpoint();
            Path export = dataDir.resolve("export");
            ctx.getBean(AuditExport.class).writeTo(export);
            VerificationResult result = ExportVerifier.verify(export);
            List<String> rows = ctx.getBean(JdbcClient.class)
                    .sql("SELECT leaf_index || ' ' || patient_id FROM audit_event WHERE log_id = ? AND kind = 'access'")
                    .param(log.id())
                    .query(String.class)
                    .list();
            Files.write(dataDir.resolve("events.txt"), rows, StandardCharsets.UTF_8);
            out.println("VERIFIED " + result.ok() + " " + result.events() + " "
                    + result.problem().map(Object::toString).orElse("-"));
            ctx.close();
            System.exit(0);
        }
    }
}
