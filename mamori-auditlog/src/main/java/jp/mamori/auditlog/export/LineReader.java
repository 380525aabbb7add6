package jp.mamori.auditlog.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads newline-terminated lines as bytes into a reused buffer, without decoding them. */
final class LineReader implements AutoCloseable {
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[1024];
    private int lineLength;
    private long bytesRead;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line (without its newline); false at the end of input. */
    boolean next() throws IOException {
        lineLength = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkEnd) {
                chunkEnd = in.read(chunk);
                chunkPos = 0;
                if (chunkEnd <= 0) {
                    chunkEnd = 0;
                    return any;
                }
                bytesRead += chunkEnd;
            }
            any = true;
            int start = chunkPos;
            while (chunkPos < chunkEnd && chunk[chunkPos] != '\n') {
                chunkPos++;
            }
            append(start, chunkPos - start);
            if (chunkPos < chunkEnd) {
                chunkPos++;
                return true;
            }
        }
    }

    private void append(int from, int n) {
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(chunk, from, line, lineLength, n);
        lineLength += n;
    }

    byte[] buffer() {
        return line;
    }

    int length() {
        return lineLength;
    }

    long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
