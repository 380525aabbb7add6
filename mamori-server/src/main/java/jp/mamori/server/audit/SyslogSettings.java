package jp.mamori.server.audit;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The syslog receiver (RFC 5424 messages over TLS, RFC 5425).
 *
 * @param port the TCP port; 0, the default, leaves the receiver off (6514 is the registered port)
 * @param address the address to listen on; empty for all
 * @param sslBundle the name of the {@code spring.ssl.bundle.*} that holds the server's key and
 *     certificate, and the trust store for client certificates
 * @param clientAuth none, want or need: whether clients present a certificate
 * @param clients SHA-256 fingerprints (hex, with or without colons) of client certificates and the
 *     source system each one stands for; when not empty, a client whose certificate is not listed is
 *     refused
 * @param maxMessageBytes the largest frame accepted
 * @param idleTimeout a connection that sends nothing for this long is closed
 */
@ConfigurationProperties("mamori.audit.syslog")
record SyslogSettings(
        @DefaultValue("0") int port,
        @DefaultValue("") String address,
        @DefaultValue("syslog") String sslBundle,
        @DefaultValue("none") String clientAuth,
        @DefaultValue Map<String, String> clients,
        @DefaultValue("262144") int maxMessageBytes,
        @DefaultValue("10m") Duration idleTimeout) {

    boolean enabled() {
        return port > 0;
    }
}
