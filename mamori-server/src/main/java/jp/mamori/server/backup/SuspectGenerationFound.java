package jp.mamori.server.backup;

import java.time.Instant;
import java.util.List;

/**
 * A backup generation that the ransomware guard marked suspect was seen for the first time: the
 * source system may be being encrypted right now.
 */
public record SuspectGenerationFound(
        String repository, String generation, String kind, String host, Instant takenAt, List<String> reasons) {}
