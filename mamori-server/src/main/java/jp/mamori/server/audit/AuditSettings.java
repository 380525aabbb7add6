package jp.mamori.server.audit;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param origin the log's name in its checkpoints; unique per facility
 * @param checkpointInterval how often a new checkpoint is signed when events were added
 * @param skewThreshold how far a source's event time may differ from the time received before the
 *     event is flagged as coming from a clock that is off
 * @param retention how long an event's body is kept (e.g. P5Y); unset keeps every event forever
 */
@ConfigurationProperties("mamori.audit")
record AuditSettings(
        @DefaultValue("mamori.local/audit") String origin,
        @DefaultValue("10s") Duration checkpointInterval,
        @DefaultValue("5m") Duration skewThreshold,
        java.time.@Nullable Period retention) {}
