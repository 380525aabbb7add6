package jp.mamori.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.stereotype.Service;

/**
 * Bulk AuditEvents as NDJSON (FHIR bulk data's {@code application/fhir+ndjson}): one event per line,
 * read as the body streams in and stored in batches, each line answered on its own. An event with
 * an {@code id} is stored once per source system, so a client that lost the answer can send the same
 * file again.
 */
@Service
class NdjsonImport {

    static final int BATCH = 1000;
    /** Longer than any event the log accepts, so the event's own size check gives the better message. */
    static final int MAX_LINE_BYTES = 4 * AccessEvents.MAX_EVENT_BYTES;
    /** Failed lines named in the answer; the count covers all of them. */
    static final int MAX_REPORTED = 1000;

    private final AccessEvents events;

    NdjsonImport(AccessEvents events) {
        this.events = events;
    }

    /** A line that was not stored. */
    record Failure(long line, String problem) {}

    /** What became of a body: the leaf index ranges assigned, duplicates, and failed lines. */
    record Result(long stored, long duplicates, long failed, List<long[]> ranges, List<Failure> failures) {}

    Result read(InputStream body) throws IOException {
        InputStream in = body.markSupported() ? body : new java.io.BufferedInputStream(body, 64 * 1024);
        List<FacilityLog.Entry> batch = new ArrayList<>(BATCH);
        List<long[]> ranges = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        long[] counts = new long[3]; // stored, duplicates, failed
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long lineNo = 0;
        boolean tooLong = false;
        while (true) {
            int b = in.read();
            if (b == '\n' || b < 0) {
                if (b >= 0 || line.size() > 0 || tooLong) {
                    lineNo++;
                    take(line.toByteArray(), lineNo, tooLong, batch, failures, counts);
                    if (batch.size() >= BATCH) {
                        flush(batch, ranges, counts);
                    }
                }
                line.reset();
                tooLong = false;
                if (b < 0) {
                    break;
                }
            } else if (line.size() < MAX_LINE_BYTES) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
        flush(batch, ranges, counts);
        return new Result(counts[0], counts[1], counts[2], ranges, failures);
    }

    private void take(
            byte[] bytes,
            long lineNo,
            boolean tooLong,
            List<FacilityLog.Entry> batch,
            List<Failure> failures,
            long[] counts) {
        String where = "line " + lineNo + ": ";
        try {
            if (tooLong) {
                throw new AccessEvents.Rejected("longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (isBlank(bytes)) {
                return;
            }
            AccessEvents.Parsed parsed = AccessEvents.parseOne(bytes);
            AuditEvent e = (AuditEvent) parsed.resource();
            String id = e.getIdElement().hasIdPart() ? e.getIdElement().getIdPart() : null;
            batch.add(events.prepare(
                    e, parsed.json(), events.now(), new AccessEvents.Arrival("ndjson", null, id, false), ""));
        } catch (AccessEvents.Rejected r) {
            counts[2]++;
            if (failures.size() < MAX_REPORTED) {
                failures.add(new Failure(lineNo, where + r.getMessage()));
            }
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private void flush(List<FacilityLog.Entry> batch, List<long[]> ranges, long[] counts) {
        if (batch.isEmpty()) {
            return;
        }
        for (long index : events.append(batch)) {
            if (index == FacilityLog.DUPLICATE) {
                counts[1]++;
                continue;
            }
            counts[0]++;
            long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last[1] + 1 == index) {
                last[1] = index;
            } else {
                ranges.add(new long[] {index, index});
            }
        }
        batch.clear();
    }
}
