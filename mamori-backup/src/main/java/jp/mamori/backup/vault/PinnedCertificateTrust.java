package jp.mamori.backup.vault;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, named by its SHA-256 fingerprint. The pin replaces both the
 * certificate authorities and the host-name check: the vault's certificate is self-signed, and a
 * certificate for the right name from any authority is still not the vault's.
 */
final class PinnedCertificateTrust extends X509ExtendedTrustManager {

    private final String pinned;
    private final String vault;

    PinnedCertificateTrust(String fingerprint, String vault) {
        this.pinned = VaultCertificate.normalizeFingerprint(fingerprint);
        this.vault = vault;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("vault " + vault + " presented no certificate");
        }
        String presented = VaultCertificate.fingerprint(chain[0]);
        if (!presented.equals(pinned)) {
            throw new CertificateException("vault " + vault + " presented a certificate with SHA-256 fingerprint "
                    + presented + ", not the pinned " + pinned
                    + "; refusing to connect (check MAMORI_VAULT_FINGERPRINT against the vault's"
                    + " `vault fingerprint` output)");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the vault client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
