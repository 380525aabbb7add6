package jp.mamori.backup.chunker;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Content-defined chunking with FastCDC and normalized chunking (Xia et al., USENIX ATC 2016): a
 * gear hash rolls over the data, and a cut falls where its top bits are zero — with a stricter mask
 * before the target size and a looser one after it, so chunk sizes gather around the target. The
 * gear table comes from the repository's secret seed, so boundaries are not predictable from
 * content alone.
 *
 * <p>The hash shifts left one bit per byte, so its top {@code k} bits depend on the last {@code k}
 * bytes only: the masks are top-bit masks, which makes the effective window 64 bytes at most.
 */
public final class FastCdc {

    private final long[] gear = new long[256];
    private final int min;
    private final int avg;
    private final int max;
    private final long maskSmall;
    private final long maskLarge;

    public FastCdc(int min, int avg, int max, byte[] seed) {
        if (!(0 < min && min <= avg && avg <= max) || Integer.bitCount(avg) != 1) {
            throw new IllegalArgumentException(
                    "chunk sizes must satisfy 0 < min <= avg <= max with avg a power of two: " + min + "/" + avg + "/"
                            + max);
        }
        this.min = min;
        this.avg = avg;
        this.max = max;
        int bits = Integer.numberOfTrailingZeros(avg);
        // Normalization level 2: two more bits below the target, two fewer above it.
        this.maskSmall = topBits(bits + 2);
        this.maskLarge = topBits(bits - 2);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            for (int i = 0; i < 256; i++) {
                byte[] h = mac.doFinal(new byte[] {'g', 'e', 'a', 'r', (byte) i});
                gear[i] = ByteBuffer.wrap(h).getLong();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long topBits(int k) {
        return k <= 0 ? 0 : -1L << (64 - k);
    }

    public int max() {
        return max;
    }

    /**
     * The length of the next chunk starting at {@code offset}.
     *
     * @param available bytes available from {@code offset}; unless the input ends there, at least
     *     {@link #max()} must be available, or the cut is not content-defined
     */
    public int cut(byte[] data, int offset, int available) {
        if (available <= min) {
            return available;
        }
        int end = Math.min(available, max);
        int normal = Math.min(end, avg);
        long fp = 0;
        int i = min;
        // Bytes before min cannot cut, but they prime the hash's 64-byte window.
        for (int j = Math.max(0, min - 64); j < min; j++) {
            fp = (fp << 1) + gear[data[offset + j] & 0xff];
        }
        for (; i < normal; i++) {
            fp = (fp << 1) + gear[data[offset + i] & 0xff];
            if ((fp & maskSmall) == 0) {
                return i + 1;
            }
        }
        for (; i < end; i++) {
            fp = (fp << 1) + gear[data[offset + i] & 0xff];
            if ((fp & maskLarge) == 0) {
                return i + 1;
            }
        }
        return end;
    }
}
