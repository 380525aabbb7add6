package jp.mamori.server.audit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.hl7.fhir.r4.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Receives access events as syslog over TLS (RFC 5425) from systems that speak IHE ATNA: each
 * message's MSG is a DICOM audit message (XML) or a FHIR AuditEvent (JSON). Messages are stored as
 * they arrive, a few at a time, through the same append as every other channel. Syslog has no
 * acknowledgement: a message is durable once its append commits, and the sender learns nothing of
 * it, so a connection that breaks may lose what was still in flight (see docs/audit-ingest.md).
 * A message that cannot be read is counted and logged without its content, and the connection goes
 * on; a stream that cannot be split into messages any more is closed.
 */
@Component
class SyslogReceiver implements SmartLifecycle {

    /** Messages stored in one append when several have already arrived. */
    static final int BATCH = 500;

    /** Connections served at once; one more is closed at once, so a flood cannot exhaust threads. */
    static final int MAX_CONNECTIONS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(SyslogReceiver.class);

    private final SyslogSettings settings;
    private final SslBundles bundles;
    private final AccessEvents events;
    private final Map<String, String> clients = new HashMap<>();
    private final Counters counters = new Counters();
    private volatile @Nullable ServerSocket server;
    private volatile @Nullable ExecutorService connections;
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SyslogReceiver(SyslogSettings settings, SslBundles bundles, AccessEvents events) {
        this.settings = settings;
        this.bundles = bundles;
        this.events = events;
        settings.clients()
                .forEach((fingerprint, system) ->
                        clients.put(fingerprint.replace(":", "").toLowerCase(Locale.ROOT), system));
    }

    /** What the receiver has seen since the server started. */
    static final class Counters {
        final AtomicLong stored = new AtomicLong();
        final AtomicLong malformed = new AtomicLong();
        final AtomicLong refusedConnections = new AtomicLong();
    }

    Counters counters() {
        return counters;
    }

    boolean enabled() {
        return settings.enabled();
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        try {
            var context = bundles.getBundle(settings.sslBundle()).createSslContext();
            SSLServerSocket socket =
                    (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            switch (settings.clientAuth()) {
                case "need" -> socket.setNeedClientAuth(true);
                case "want" -> socket.setWantClientAuth(true);
                case "none" -> {}
                default -> throw new IllegalStateException(
                        "mamori.audit.syslog.client-auth is none, want or need, not " + settings.clientAuth());
            }
            socket.setReuseAddress(true);
            InetAddress address = settings.address().isBlank() ? null : InetAddress.getByName(settings.address());
            socket.bind(new InetSocketAddress(address, settings.port()), 50);
            server = socket;
            connections = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "syslog-connection");
                t.setDaemon(true);
                return t;
            });
            Thread acceptor = new Thread(this::accept, "syslog-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            LOG.info("Syslog over TLS listening on port {}", settings.port());
        } catch (IOException e) {
            throw new IllegalStateException("The syslog port " + settings.port() + " cannot be opened: " + e, e);
        }
    }

    private void accept() {
        ServerSocket s = server;
        while (s != null && !s.isClosed()) {
            try {
                Socket client = s.accept();
                if (open.size() >= MAX_CONNECTIONS) {
                    counters.refusedConnections.incrementAndGet();
                    LOG.warn(
                            "Syslog connection from {} refused: {} connections open",
                            client.getRemoteSocketAddress(),
                            open.size());
                    client.close();
                    continue;
                }
                ExecutorService pool = connections;
                if (pool != null) {
                    pool.execute(() -> serve((SSLSocket) client));
                }
            } catch (IOException e) {
                if (!s.isClosed()) {
                    LOG.warn("Syslog accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(SSLSocket socket) {
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        open.add(socket);
        List<FacilityLog.Entry> batch = new ArrayList<>();
        try (socket) {
            socket.setSoTimeout((int) settings.idleTimeout().toMillis());
            socket.startHandshake();
            String system = sourceSystem(socket);
            if (!clients.isEmpty() && system == null) {
                counters.refusedConnections.incrementAndGet();
                LOG.warn("Syslog connection from {} refused: its client certificate is not configured", peer);
                return;
            }
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            SyslogFrames frames = new SyslogFrames(in, settings.maxMessageBytes());
            while (true) {
                byte[] frame = frames.next();
                if (frame == null) {
                    break;
                }
                FacilityLog.Entry entry = entry(frame, system, peer);
                if (entry != null) {
                    batch.add(entry);
                }
                // Store what has arrived before waiting for more: nothing is held while the line is quiet.
                if (batch.size() >= BATCH || in.available() == 0) {
                    store(batch);
                }
            }
            store(batch);
        } catch (SyslogFrames.BrokenStream e) {
            counters.malformed.incrementAndGet();
            LOG.warn("Syslog connection from {} closed: {}", peer, e.getMessage());
        } catch (SocketTimeoutException e) {
            LOG.info("Syslog connection from {} closed after {} without data", peer, settings.idleTimeout());
        } catch (javax.net.ssl.SSLException e) {
            counters.refusedConnections.incrementAndGet();
            LOG.warn("Syslog TLS connection from {} failed: {}", peer, e.getMessage());
        } catch (SocketException e) {
            LOG.info("Syslog connection from {} ended: {}", peer, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Syslog connection from {} ended: {}", peer, e.getClass().getSimpleName());
        } finally {
            open.remove(socket);
            try {
                // Whole messages that arrived before the connection broke are still stored.
                store(batch);
            } catch (RuntimeException e) {
                LOG.error("{} syslog messages from {} could not be stored: {}", batch.size(), peer, e.getMessage());
            }
        }
    }

    private void store(List<FacilityLog.Entry> batch) {
        if (!batch.isEmpty()) {
            events.append(batch);
            counters.stored.addAndGet(batch.size());
            batch.clear();
        }
    }

    /** The message as an entry, or null (counted and logged without its content) when it cannot be one. */
    private FacilityLog.@Nullable Entry entry(byte[] frame, @Nullable String system, String peer) {
        try {
            SyslogMessage message = SyslogMessage.parse(frame);
            byte[] msg = message.msg();
            int start = 0;
            while (start < msg.length && Character.isWhitespace(msg[start])) {
                start++;
            }
            AuditEvent event;
            Object json;
            if (start < msg.length && msg[start] == '<') {
                event = AtnaMessages.read(msg);
                json = AccessEvents.jsonOf(event);
            } else if (start < msg.length && msg[start] == '{') {
                AccessEvents.Parsed parsed = AccessEvents.parseOne(msg);
                event = (AuditEvent) parsed.resource();
                json = parsed.json();
            } else {
                throw new AccessEvents.Rejected(
                        "the MSG is neither an ATNA audit message (XML) nor a FHIR AuditEvent (JSON)");
            }
            return events.prepare(
                    event, json, events.now(), new AccessEvents.Arrival("syslog", system, null, true), "");
        } catch (SyslogMessage.Malformed | AccessEvents.Rejected e) {
            counters.malformed.incrementAndGet();
            LOG.warn(
                    "Syslog message from {} ({} bytes) not stored: {}",
                    peer,
                    frame.length,
                    withoutValues(e.getMessage()));
            return null;
        }
    }

    /**
     * The FHIR parser quotes offending values in its messages, and a value may be a patient's: the log
     * keeps only what kind of problem it was.
     */
    static String withoutValues(String message) {
        String fhir = "The body is not a FHIR R4 resource";
        return message.startsWith(fhir) ? fhir : message;
    }

    /** The source system the client certificate stands for, if the client presented a listed one. */
    private @Nullable String sourceSystem(SSLSocket socket) {
        try {
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return chain.length == 0 ? null : clients.get(fingerprint(chain[0]));
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    static String fingerprint(Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("Closing the syslog port: {}", e.getMessage());
            }
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("Closing a syslog connection: {}", e.getMessage());
            }
        }
        ExecutorService pool = connections;
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
