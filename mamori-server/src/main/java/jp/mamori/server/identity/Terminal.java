package jp.mamori.server.identity;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A registered terminal (端末): a PC on a ward, at a pharmacy counter or in an office. */
record Terminal(
        long id,
        String name,
        String location,
        @Nullable Long departmentId,
        boolean shared,
        int idleLockSeconds,
        boolean disabled,
        @Nullable Long activeAccountId,
        @Nullable String activeSessionId,
        @Nullable Instant activeSince) {}
