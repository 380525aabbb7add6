package jp.mamori.backup.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The rule behind "the administrator token works only on the vault's own host". */
class VaultAccessTest {

    @Test
    void accepts_the_administrator_only_from_loopback_addresses() throws Exception {
        assertThat(VaultServer.adminAllowedFrom(InetAddress.getByName("127.0.0.1")))
                .isTrue();
        assertThat(VaultServer.adminAllowedFrom(InetAddress.getByName("127.0.0.53")))
                .isTrue();
        assertThat(VaultServer.adminAllowedFrom(InetAddress.getByName("::1"))).isTrue();
        // Addresses from the documentation ranges: a hospital workstation, an IPv6 host, a mapped address.
        assertThat(VaultServer.adminAllowedFrom(InetAddress.getByName("192.0.2.10")))
                .isFalse();
        assertThat(VaultServer.adminAllowedFrom(InetAddress.getByName("2001:db8::10")))
                .isFalse();
        assertThat(VaultServer.adminAllowedFrom(InetAddress.getByName("0.0.0.0")))
                .isFalse();
    }
}
