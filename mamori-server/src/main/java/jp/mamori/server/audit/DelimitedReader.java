package jp.mamori.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a comma- or tab-separated file as RFC 4180 records, byte by byte, before any decoding:
 * Shift_JIS never uses the bytes of a quote, comma, tab or line break inside a character, so records
 * can be split first and each field decoded afterwards, which lets a line in the wrong encoding be
 * reported on its own. A record whose quoting is broken is reported at the line where it starts, and
 * reading resumes on the next line, so one stray quote costs one line and not the rest of the file.
 */
final class DelimitedReader implements Closeable {

    /** A record longer than this is refused: no export line is that long. */
    static final int MAX_RECORD_BYTES = 1 << 20;

    sealed interface Row permits Record, Broken {
        /** The physical line (from 1) where the row starts. */
        long line();
    }

    /** A well-formed record: its fields' bytes and the bytes of the whole record. */
    record Record(long line, List<byte[]> fields, byte[] raw) implements Row {}

    /** A record that cannot be read, with the field (from 1) where reading failed. */
    record Broken(long line, int field, String problem) implements Row {}

    private final FileChannel file;
    private final byte delimiter;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long bufferStart;
    private long line = 1;

    DelimitedReader(Path path, byte delimiter) throws IOException {
        this.file = FileChannel.open(path, StandardOpenOption.READ);
        this.delimiter = delimiter;
        buffer.limit(0);
    }

    /** Bytes read so far, for progress. */
    long position() {
        return bufferStart + buffer.position();
    }

    long size() throws IOException {
        return file.size();
    }

    /** The next row, or null at the end of the file. Blank lines are skipped. */
    @Nullable
    Row next() throws IOException {
        int b = peek();
        while (b == '\n' || b == '\r') {
            read();
            if (b == '\n') {
                line++;
            }
            b = peek();
        }
        if (b < 0) {
            return null;
        }
        long start = position();
        long startLine = line;
        List<byte[]> fields = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        while (true) {
            field.reset();
            b = read();
            if (b == '"') {
                while (true) {
                    b = read();
                    if (b < 0) {
                        return resync(start, startLine, fields.size() + 1, "a quoted field is never closed");
                    }
                    if (b == '"') {
                        if (peek() == '"') {
                            read();
                            field.write('"');
                            continue;
                        }
                        break;
                    }
                    if (b == '\n') {
                        line++;
                    }
                    field.write(b);
                    if (position() - start > MAX_RECORD_BYTES) {
                        return resync(start, startLine, fields.size() + 1, "a quoted field is never closed");
                    }
                }
                b = read();
                if (b != delimiter && b != '\n' && b != '\r' && b >= 0) {
                    return resync(
                            start,
                            startLine,
                            fields.size() + 1,
                            line > startLine
                                    ? "a quoted field is never closed (the next quote, on line " + line
                                            + ", does not end a field)"
                                    : "text follows the closing quote (a quote inside the field must be doubled)");
                }
            } else {
                while (b != delimiter && b != '\n' && b != '\r' && b >= 0) {
                    if (b == '"') {
                        return resync(
                                start,
                                startLine,
                                fields.size() + 1,
                                "a quote inside a field that does not start with a quote");
                    }
                    field.write(b);
                    if (position() - start > MAX_RECORD_BYTES) {
                        return resync(start, startLine, fields.size() + 1, "the line is longer than 1 MiB");
                    }
                    b = read();
                }
            }
            fields.add(field.toByteArray());
            if (b == delimiter) {
                continue;
            }
            long end = position() - (b < 0 ? 0 : 1);
            if (b == '\r' && peek() == '\n') {
                read();
            }
            if (b == '\n' || b == '\r') {
                line++;
            }
            return new Record(startLine, fields, bytes(start, end));
        }
    }

    /**
     * Reports the broken record at its first line and continues after that line: what followed the
     * stray quote may well be good records.
     */
    private Broken resync(long start, long startLine, int fieldNo, String problem) throws IOException {
        seek(start);
        int b;
        do {
            b = read();
        } while (b >= 0 && b != '\n');
        line = startLine + 1;
        return new Broken(startLine, fieldNo, problem);
    }

    private byte[] bytes(long from, long to) throws IOException {
        ByteBuffer out = ByteBuffer.allocate((int) (to - from));
        long at = from;
        while (out.hasRemaining()) {
            int n = file.read(out, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        return out.array();
    }

    private int peek() throws IOException {
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        return buffer.get(buffer.position()) & 0xff;
    }

    private int read() throws IOException {
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        return buffer.get() & 0xff;
    }

    private boolean fill() throws IOException {
        bufferStart += buffer.limit();
        buffer.clear();
        int n = file.read(buffer, bufferStart);
        buffer.flip();
        return n > 0;
    }

    private void seek(long pos) {
        bufferStart = pos;
        buffer.limit(0);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
