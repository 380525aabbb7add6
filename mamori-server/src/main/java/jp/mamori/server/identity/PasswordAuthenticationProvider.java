package jp.mamori.server.identity;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Checks a login ID and password. Every refusal looks the same from outside and takes the same
 * time: unknown ID, wrong password, locked, disabled, retired or expired account. The access log
 * gets the real reason.
 */
@Component
class PasswordAuthenticationProvider implements AuthenticationProvider {

    static final String GENERIC_FAILURE = "login.failed";

    private final AccountStore accounts;
    private final PasswordService passwords;
    private final LoginThrottle throttle;
    private final SecurityEvents events;
    private final Clock clock;
    private final MachineSignIns machineSignIns = new MachineSignIns();

    PasswordAuthenticationProvider(
            AccountStore accounts,
            PasswordService passwords,
            LoginThrottle throttle,
            SecurityEvents events,
            Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.throttle = throttle;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication request) {
        String loginId = String.valueOf(request.getPrincipal()).strip();
        String raw =
                request.getCredentials() == null ? "" : request.getCredentials().toString();
        String source = RequestOrigin.of(request);
        String accountKey = LoginThrottle.accountKey(loginId);
        String sourceKey = source == null ? null : LoginThrottle.sourceKey(source);

        Optional<Account> found = loginId.isEmpty() ? Optional.empty() : accounts.byLoginId(loginId);
        String hash = found.map(Account::passwordHash).orElse(null);
        boolean passwordOk;
        boolean machine = found.isPresent() && found.get().jobType() == JobType.SYSTEM;
        boolean knownMachinePassword = machine && hash != null && machineSignIns.verifiedBefore(hash, raw);
        if (hash == null) {
            passwords.spendCheckTime(raw);
            passwordOk = false;
        } else if (knownMachinePassword) {
            // A system account calls the API with every request; this password was verified in
            // full against this very stored hash before. Refusals never take this path.
            passwordOk = true;
        } else {
            passwordOk = passwords.matches(raw, hash);
        }
        String refusal = null;
        if (throttle.blocked(accountKey) || (sourceKey != null && throttle.blocked(sourceKey))) {
            refusal = "throttled";
        } else if (found.isEmpty()) {
            refusal = "unknown_account";
        } else if (!passwordOk) {
            refusal = "bad_password";
        } else if (!found.get().usableAt(clock.instant())) {
            refusal = found.get().adminLocked()
                    ? "locked"
                    : "not_usable:" + found.get().status();
        }
        if (refusal != null) {
            recordFailure(found, loginId, source, accountKey, sourceKey, refusal);
            throw new BadCredentialsException(GENERIC_FAILURE);
        }
        Account account = found.get();
        throttle.succeed(accountKey);
        if (machine && !knownMachinePassword && hash != null) {
            machineSignIns.remember(hash, raw);
        }
        // A system account's sign-in is logged when its password is verified in full (its first
        // call, and again after a password change or a restart), not with each API call: what it
        // sends is logged itself.
        if (!knownMachinePassword) {
            events.record(SecurityEvent.success(SecurityEventType.LOGIN)
                    .account(account.id(), account.loginId())
                    .source(source)
                    .detail("method", "password")
                    .build());
        }
        UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(
                account.principal(), null, authorities(account, Factors.PASSWORD));
        result.setDetails(request.getDetails());
        return result;
    }

    private void recordFailure(
            Optional<Account> found,
            String loginId,
            String source,
            String accountKey,
            String sourceKey,
            String reason) {
        boolean countable = !reason.equals("throttled");
        int failures = countable ? throttle.fail(accountKey) : 0;
        if (countable && sourceKey != null) {
            throttle.fail(sourceKey);
        }
        events.record(SecurityEvent.failure(SecurityEventType.LOGIN)
                .account(
                        found.map(Account::id).orElse(null),
                        found.map(Account::loginId).orElse(null))
                .source(source)
                .detail("method", "password")
                .detail("reason", reason)
                .detail("attempted", found.isEmpty() ? UnknownLoginIds.redact(loginId) : null)
                .build());
        if (found.isPresent()
                && failures == LoginThrottle.LOCKOUT_FAILURES
                && !found.get().adminLocked()) {
            accounts.setAdminLocked(found.get().id(), true);
            events.record(SecurityEvent.success(SecurityEventType.LOCKOUT)
                    .account(found.get().id(), found.get().loginId())
                    .source(source)
                    .detail("failures", failures)
                    .build());
        }
    }

    static List<GrantedAuthority> authorities(Account account, String... factors) {
        List<GrantedAuthority> list = new java.util.ArrayList<>();
        for (String role : account.roles()) {
            list.add(new SimpleGrantedAuthority("ROLE_" + role));
        }
        if (account.administrator()) {
            list.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
        }
        for (String f : factors) {
            list.add(FactorGrantedAuthority.fromAuthority(f));
        }
        return list;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
