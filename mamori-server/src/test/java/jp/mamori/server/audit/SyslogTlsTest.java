package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import jp.mamori.server.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Syslog over TLS with a real TLS client socket. The server's and the clients' keys are made for
 * the test with the JDK's keytool: self-signed, valid for two days, for localhost.
 */
class SyslogTlsTest extends ServerTest {

    /** Protects only throw-away test key stores. */
    static final String STORE_PASSWORD = "test-store-only";

    static Path dir;
    static int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SyslogReceiver receiver;

    @Autowired
    jp.mamori.server.identity.IdentityFixtures fixtures;

    @DynamicPropertySource
    static void syslog(DynamicPropertyRegistry registry) throws Exception {
        dir = Files.createTempDirectory("mamori-syslog-test-");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                "server.p12");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", "server.p12", "-file", "server.pem");
        for (String client : new String[] {"ehr", "stranger"}) {
            keytool(
                    "-genkeypair",
                    "-alias",
                    client,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=test-" + client,
                    "-validity",
                    "2",
                    "-keystore",
                    client + ".p12");
            keytool("-exportcert", "-rfc", "-alias", client, "-keystore", client + ".p12", "-file", client + ".pem");
            // The server trusts both certificates; only the EHR's is mapped to a source system.
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    client,
                    "-file",
                    client + ".pem",
                    "-keystore",
                    "server-trust.p12");
        }
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", "server.pem", "-keystore", "client-trust.p12");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        KeyStore ehr = load("ehr.p12");
        String fingerprint = SyslogReceiver.fingerprint(ehr.getCertificate("ehr"));
        registry.add("mamori.audit.syslog.port", () -> port);
        registry.add("mamori.audit.syslog.address", () -> "127.0.0.1");
        registry.add("mamori.audit.syslog.client-auth", () -> "need");
        registry.add("mamori.audit.syslog.clients." + fingerprint, () -> "試験電子カルテ-syslog");
        registry.add("mamori.audit.syslog.max-message-bytes", () -> 8192);
        Supplier<Object> store = () -> "file:" + dir.resolve("server.p12");
        registry.add("spring.ssl.bundle.jks.syslog.keystore.location", store);
        registry.add("spring.ssl.bundle.jks.syslog.keystore.password", () -> STORE_PASSWORD);
        registry.add("spring.ssl.bundle.jks.syslog.keystore.type", () -> "PKCS12");
        registry.add(
                "spring.ssl.bundle.jks.syslog.truststore.location", () -> "file:" + dir.resolve("server-trust.p12"));
        registry.add("spring.ssl.bundle.jks.syslog.truststore.password", () -> STORE_PASSWORD);
        registry.add("spring.ssl.bundle.jks.syslog.truststore.type", () -> "PKCS12");
    }

    static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    static KeyStore load(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        return ks;
    }

    /** A TLS client socket presenting the named client's certificate, or none. */
    static SSLSocket connect(String client) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load("client-trust.p12"));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (client != null) {
            keys = load(client + ".p12");
        }
        kmf.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /** An ATNA audit message (DICOM PS3.15 A.5) for a synthetic patient record read. */
    static String atna(String user, String patient, OffsetDateTime at) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <AuditMessage>
                  <EventIdentification EventActionCode="R" EventDateTime="%s" EventOutcomeIndicator="0">
                    <EventID csd-code="110110" codeSystemName="DCM" originalText="Patient Record"/>
                  </EventIdentification>
                  <ActiveParticipant UserID="%s" UserName="試験 太郎" UserIsRequestor="true"
                      NetworkAccessPointID="WARD5-PC02" NetworkAccessPointTypeCode="1"/>
                  <AuditSourceIdentification AuditSourceID="TEST-EHR-1" AuditEnterpriseSiteID="試験病院"/>
                  <ParticipantObjectIdentification ParticipantObjectID="%s" ParticipantObjectTypeCode="1"
                      ParticipantObjectTypeCodeRole="1">
                    <ParticipantObjectIDTypeCode csd-code="2" originalText="Patient Number"/>
                  </ParticipantObjectIdentification>
                </AuditMessage>
                """
                .formatted(at, user, patient);
    }

    static String syslog(String msg) {
        return "<110>1 " + OffsetDateTime.now(ZoneOffset.UTC) + " test-ehr-host ehr 42 IHE+RFC-3881 - \uFEFF" + msg;
    }

    static byte[] octetCounted(String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        byte[] head = (m.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + m.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(m, 0, out, head.length, m.length);
        return out;
    }

    private long count(String patient) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE patient_id = ?")
                .param(patient)
                .query(Long.class)
                .single();
    }

    private void awaitCount(String patient, long expected) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (count(patient) < expected && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }
        assertThat(count(patient)).isEqualTo(expected);
    }

    @Test
    void atna_xml_and_fhir_json_arrive_in_both_framings_and_bad_messages_do_not_end_the_connection() throws Exception {
        String patient = "SY" + System.nanoTime();
        long malformedBefore = receiver.counters().malformed.get();
        var json = FhirAuditEventTest.read("dr-sys-2", patient, "OPD-9");
        String fhir =
                ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().encodeResourceToString(json);
        String xxe =
                """
                <?xml version="1.0"?>
                <!DOCTYPE AuditMessage [<!ENTITY leak SYSTEM "file:///etc/hostname">]>
                <AuditMessage><EventIdentification EventActionCode="R" EventDateTime="2026-01-05T09:00:00+09:00"
                  EventOutcomeIndicator="0"><EventID csd-code="110110" codeSystemName="DCM"/></EventIdentification>
                  <ActiveParticipant UserID="&leak;"/><AuditSourceIdentification AuditSourceID="x"/>
                </AuditMessage>""";
        try (SSLSocket s = connect("ehr")) {
            OutputStream out = s.getOutputStream();
            out.write(octetCounted(syslog(atna("dr-sys-1", patient, OffsetDateTime.now(ZoneOffset.ofHours(9))))));
            out.write((syslog(fhir) + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(octetCounted("<13>2 not a syslog 5424 message"));
            out.write(octetCounted(syslog(xxe)));
            out.write(octetCounted(syslog("plain text, neither XML nor JSON")));
            out.write(octetCounted(syslog(atna("dr-sys-3", patient, OffsetDateTime.now(ZoneOffset.UTC)))));
            out.flush();
            awaitCount(patient, 3);
        }
        assertThat(receiver.counters().malformed.get() - malformedBefore).isEqualTo(3);
        var rows = jdbc.sql(
                        """
                        SELECT login_id, source_system, source_addr, skewed, body FROM audit_event
                        WHERE patient_id = ? ORDER BY leaf_index""")
                .param(patient)
                .query((rs, n) -> List.of(
                        rs.getString(1),
                        rs.getString(2),
                        String.valueOf(rs.getString(3)),
                        rs.getString(4),
                        rs.getString(5)))
                .list();
        assertThat(rows).extracting(r -> r.get(0)).containsExactly("dr-sys-1", "dr-sys-2", "dr-sys-3");
        // The client certificate names the source system, whatever the message says.
        assertThat(rows).extracting(r -> r.get(1)).containsOnly("試験電子カルテ-syslog");
        assertThat(rows.get(0).get(2)).isEqualTo("WARD5-PC02");
        assertThat(rows.get(0).get(3)).isEqualTo("f");
        assertThat(rows.get(0).get(4)).contains("\"channel\":\"syslog\"").contains("\"110110\"");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE body LIKE '%etc/hostname%'")
                        .query(Long.class)
                        .single())
                .isZero();
        // The security officer sees the count of unreadable messages on the start page.
        var officer = fixtures.user("sys-so", jp.mamori.server.identity.JobType.DOCTOR, "SECURITY_OFFICER");
        String dashboard = signIn(officer).get("/").body();
        assertThat(dashboard).contains("受け取れなかった syslog");
        assertThat(dashboard).containsPattern("card warn[^>]*>\\s*<h2>受け取れなかった syslog");
    }

    @Test
    void a_clock_far_off_is_flagged_on_the_event() throws Exception {
        String patient = "SK" + System.nanoTime();
        try (SSLSocket s = connect("ehr")) {
            s.getOutputStream()
                    .write(octetCounted(syslog(atna(
                            "dr-skew",
                            patient,
                            OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(20)))));
            s.getOutputStream().flush();
            awaitCount(patient, 1);
        }
        assertThat(jdbc.sql("SELECT skewed FROM audit_event WHERE patient_id = ?")
                        .param(patient)
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void a_broken_frame_closes_the_connection_cleanly_after_storing_what_came_before() throws Exception {
        String patient = "SB" + System.nanoTime();
        long malformedBefore = receiver.counters().malformed.get();
        try (SSLSocket s = connect("ehr")) {
            OutputStream out = s.getOutputStream();
            out.write(octetCounted(syslog(atna("dr-brk", patient, OffsetDateTime.now(ZoneOffset.UTC)))));
            out.write("99999999 ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The server closes its side: the client reads the end of the stream.
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        awaitCount(patient, 1);
        // The socket is closed (try-with-resources) before the handler counts the broken frame, so
        // the client may see the end of the stream first.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> receiver.counters().malformed.get() - malformedBefore >= 1);
        assertThat(receiver.counters().malformed.get() - malformedBefore).isEqualTo(1);
    }

    @Test
    void clients_without_a_configured_certificate_are_refused() throws Exception {
        String patient = "SR" + System.nanoTime();
        try (SSLSocket s = connect("stranger")) {
            s.getOutputStream()
                    .write(octetCounted(syslog(atna("dr-str", patient, OffsetDateTime.now(ZoneOffset.UTC)))));
            s.getOutputStream().flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> {
                    try (SSLSocket s = connect(null)) {
                        s.getOutputStream().write(octetCounted(syslog("{}")));
                        s.getInputStream().read();
                    }
                })
                .isInstanceOf(IOException.class);
        Thread.sleep(300);
        assertThat(count(patient)).isZero();
    }
}
