package jp.mamori.server.sso;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.SessionEnded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retries back-channel logouts that failed, with a delay that doubles after each failure
 * ({@link BackChannelLogoutSettings}), until the client answers 200/204 or the last attempt failed;
 * then the delivery is marked failed, logged, and shown on the client's page. Each delivery is
 * worked on under a row lock that other server instances skip, so a token reaches its client once.
 *
 * <p>It also hands back {@link SessionEnded} publications that a crash left incomplete, so that
 * the listener makes its first attempts after a restart.
 */
@Component
class BackChannelLogoutRetry {

    private static final Logger log = LoggerFactory.getLogger(BackChannelLogoutRetry.class);

    private final IncompleteEventPublications incomplete;
    private final BackChannelDeliveries deliveries;
    private final BackChannelLogout logout;
    private final RegisteredClientRepository clients;
    private final BackChannelLogoutSettings settings;
    private final SecurityEvents events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    BackChannelLogoutRetry(
            IncompleteEventPublications incomplete,
            BackChannelDeliveries deliveries,
            BackChannelLogout logout,
            RegisteredClientRepository clients,
            BackChannelLogoutSettings settings,
            SecurityEvents events,
            TransactionTemplate transactions,
            Clock clock) {
        this.incomplete = incomplete;
        this.deliveries = deliveries;
        this.logout = logout;
        this.clients = clients;
        this.settings = settings;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelayString = "${mamori.sso.backchannel-logout.check-every:10s}",
            initialDelayString = "${mamori.sso.backchannel-logout.check-every:10s}")
    void scheduled() {
        retryDue();
        incomplete.resubmitIncompletePublications(publication -> publication.getEvent() instanceof SessionEnded
                && publication.getPublicationDate().isBefore(Instant.now().minus(Duration.ofMinutes(1))));
    }

    /** Makes every attempt that is due now; returns how many were made. */
    int retryDue() {
        int made = 0;
        for (long id : deliveries.due(clock.instant(), 100)) {
            Boolean attempted = transactions.execute(tx -> attempt(id));
            if (Boolean.TRUE.equals(attempted)) {
                made++;
            }
        }
        return made;
    }

    private boolean attempt(long id) {
        Instant now = clock.instant();
        var found = deliveries.lockIfDue(id, now);
        if (found.isEmpty()) {
            return false;
        }
        var delivery = found.get();
        var client = clients.findById(delivery.clientRegistrationId());
        String target = client == null ? null : BackChannelLogout.target(client);
        if (client == null || target == null) {
            deliveries.dropped(id, client == null ? "client disabled" : "client has no back-channel logout URI", now);
            return false;
        }
        int number = delivery.attempts() + 1;
        var attempt = logout.send(
                client.getClientId(),
                target,
                java.util.Objects.requireNonNull(logout.issuer(delivery.issuer())),
                delivery.loginId(),
                delivery.sid());
        logout.recordAttempt(
                delivery.accountId(),
                delivery.loginId(),
                delivery.terminalId(),
                delivery.reason(),
                client.getClientId(),
                attempt,
                number);
        Instant after = clock.instant();
        if (attempt.delivered()) {
            deliveries.attempted(id, BackChannelDeliveries.State.DELIVERED, attempt, after, null);
        } else if (number >= settings.attempts()) {
            deliveries.attempted(id, BackChannelDeliveries.State.FAILED, attempt, after, null);
            log.error(
                    "Back-channel logout to client {} given up after {} attempts; the application may still hold the session",
                    client.getClientId(),
                    number);
            events.record(SecurityEvent.failure(SecurityEventType.CLIENT_CHANGED)
                    .account(delivery.accountId(), delivery.loginId())
                    .terminal(delivery.terminalId())
                    .detail("action", "backchannel-logout-given-up")
                    .detail("client", client.getClientId())
                    .detail("reason", delivery.reason())
                    .detail("attempts", number)
                    .detail("status", attempt.status())
                    .detail("error", attempt.error())
                    .build());
        } else {
            deliveries.attempted(
                    id, BackChannelDeliveries.State.PENDING, attempt, after, after.plus(settings.delayAfter(number)));
        }
        return true;
    }
}
