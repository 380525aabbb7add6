package jp.mamori.server.sso;

import java.time.Duration;
import jp.mamori.server.identity.SessionEnded;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retries back-channel logouts that failed: a {@link SessionEnded} publication stays incomplete in
 * the event publication registry until every client was reached, and is handed to the listener
 * again every minute once it is older than a minute.
 */
@Component
class BackChannelLogoutRetry {

    private final IncompleteEventPublications incomplete;

    BackChannelLogoutRetry(IncompleteEventPublications incomplete) {
        this.incomplete = incomplete;
    }

    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    void retry() {
        incomplete.resubmitIncompletePublications(publication -> publication.getEvent() instanceof SessionEnded
                && publication
                        .getPublicationDate()
                        .isBefore(java.time.Instant.now().minus(Duration.ofMinutes(1))));
    }
}
