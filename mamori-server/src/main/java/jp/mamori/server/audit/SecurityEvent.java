package jp.mamori.server.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One authentication or administrative event, as handed to the access log. {@code detail} holds
 * short facts (a reason, a method, a client ID); it must never hold a password, PIN, code, secret or
 * patient datum.
 */
public record SecurityEvent(
        SecurityEventType type,
        Outcome outcome,
        @Nullable Long accountId,
        @Nullable String loginId,
        @Nullable Long terminalId,
        @Nullable String sourceAddress,
        Map<String, String> detail) {

    public enum Outcome {
        SUCCESS,
        FAILURE
    }

    public SecurityEvent {
        detail = Map.copyOf(detail);
    }

    public static Builder success(SecurityEventType type) {
        return new Builder(type, Outcome.SUCCESS);
    }

    public static Builder failure(SecurityEventType type) {
        return new Builder(type, Outcome.FAILURE);
    }

    public static final class Builder {
        private final SecurityEventType type;
        private final Outcome outcome;
        private @Nullable Long accountId;
        private @Nullable String loginId;
        private @Nullable Long terminalId;
        private @Nullable String sourceAddress;
        private final Map<String, String> detail = new LinkedHashMap<>();

        private Builder(SecurityEventType type, Outcome outcome) {
            this.type = type;
            this.outcome = outcome;
        }

        public Builder account(@Nullable Long accountId, @Nullable String loginId) {
            this.accountId = accountId;
            this.loginId = loginId;
            return this;
        }

        public Builder terminal(@Nullable Long terminalId) {
            this.terminalId = terminalId;
            return this;
        }

        public Builder source(@Nullable String sourceAddress) {
            this.sourceAddress = sourceAddress;
            return this;
        }

        public Builder detail(String key, @Nullable Object value) {
            if (value != null) {
                detail.put(key, String.valueOf(value));
            }
            return this;
        }

        public SecurityEvent build() {
            return new SecurityEvent(type, outcome, accountId, loginId, terminalId, sourceAddress, detail);
        }
    }
}
