package jp.mamori.server.identity;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Someone signed in by break-the-glass (緊急時の例外的アクセス). The security officer must hear of it
 * at once, and the use must be reviewed afterwards.
 */
public record BreakGlassStarted(
        long breakGlassId,
        long accountId,
        String loginId,
        String displayName,
        @Nullable Long terminalId,
        String reason,
        Instant startedAt,
        Instant expiresAt) {}
