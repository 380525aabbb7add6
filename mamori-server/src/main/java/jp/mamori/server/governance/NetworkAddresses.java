package jp.mamori.server.governance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * IP addresses and CIDR blocks as people write them in a network register: {@code 192.0.2.10},
 * {@code 10.1.0.0/16}, {@code 2001:db8::/32}. Only literals are read; a host name is never looked
 * up.
 */
final class NetworkAddresses {

    private NetworkAddresses() {}

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Why a text is not an address or block; the message keys are {@code connections.error.address.*}. */
    enum Flaw {
        NOT_AN_ADDRESS,
        BAD_PREFIX,
        HOST_BITS_SET,
        PREFIX_REQUIRED
    }

    static final class NotAnAddress extends Exception {
        final Flaw flaw;
        /** For {@link Flaw#HOST_BITS_SET}: the block the text most likely means. */
        final @Nullable String suggestion;

        NotAnAddress(Flaw flaw, @Nullable String suggestion) {
            super(flaw.name());
            this.flaw = flaw;
            this.suggestion = suggestion;
        }
    }

    /** A block of addresses: the network address and the prefix length. A single address is a full-length block. */
    record Block(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }

        /** {@code 192.0.2.0/24}; a single address without its prefix. */
        String canonical() {
            String a = format(network);
            return prefix == network.length * 8 ? a : a + "/" + prefix;
        }

        /** A block that lets everyone in: 0.0.0.0/0 or ::/0 is no restriction at all. */
        boolean isEverything() {
            return prefix == 0;
        }
    }

    /** An address ({@code 192.0.2.10}) or a block ({@code 192.0.2.0/24}), as allowed sources are written. */
    static Block addressOrBlock(String text) throws NotAnAddress {
        return parse(text, false);
    }

    /** A block with its prefix ({@code 192.0.2.0/24}), as a segment is written. */
    static Block block(String text) throws NotAnAddress {
        return parse(text, true);
    }

    /** The address, or empty when the text is no address (a register may hold anything in that column). */
    static Optional<byte[]> address(@Nullable String text) {
        if (text == null || text.isBlank() || text.contains("/")) {
            return Optional.empty();
        }
        try {
            return Optional.of(literal(text.strip()));
        } catch (NotAnAddress e) {
            return Optional.empty();
        }
    }

    private static Block parse(String text, boolean prefixRequired) throws NotAnAddress {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash < 0 && prefixRequired) {
            throw new NotAnAddress(Flaw.PREFIX_REQUIRED, null);
        }
        byte[] address = literal(slash < 0 ? t : t.substring(0, slash));
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) {
                throw new NotAnAddress(Flaw.BAD_PREFIX, null);
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new NotAnAddress(Flaw.BAD_PREFIX, null);
            }
        }
        Block block = new Block(masked(address, prefix), prefix);
        if (!java.util.Arrays.equals(block.network(), address)) {
            // 192.0.2.10/24 is usually an interface address; the register wants the network.
            throw new NotAnAddress(Flaw.HOST_BITS_SET, block.canonical());
        }
        return block;
    }

    private static byte[] literal(String t) throws NotAnAddress {
        var v4 = IPV4.matcher(t);
        if (v4.matches()) {
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                String part = v4.group(i + 1);
                int n = Integer.parseInt(part);
                if (n > 255 || (part.length() > 1 && part.startsWith("0"))) {
                    throw new NotAnAddress(Flaw.NOT_AN_ADDRESS, null);
                }
                out[i] = (byte) n;
            }
            return out;
        }
        // Only a text with a colon and nothing but hex digits, colons and dots reaches InetAddress,
        // which then reads it as a literal and never asks DNS.
        if (t.indexOf(':') >= 0 && IPV6.matcher(t).matches()) {
            try {
                byte[] out = InetAddress.getByName(t).getAddress();
                if (out.length == 16) {
                    return out;
                }
            } catch (UnknownHostException e) {
                // not an IPv6 literal
            }
        }
        throw new NotAnAddress(Flaw.NOT_AN_ADDRESS, null);
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & ((0xFF << (8 - keep)) & 0xFF));
        }
        return out;
    }

    private static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "."
                    + (address[3] & 0xFF);
        }
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }
}
