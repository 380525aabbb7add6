package jp.mamori.server.audit;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An event as the access log holds it. */
public record StoredSecurityEvent(
        long id,
        Instant recordedAt,
        SecurityEventType type,
        SecurityEvent.Outcome outcome,
        @Nullable Long accountId,
        @Nullable String loginId,
        @Nullable Long terminalId,
        @Nullable String sourceAddress,
        Map<String, String> detail) {}
