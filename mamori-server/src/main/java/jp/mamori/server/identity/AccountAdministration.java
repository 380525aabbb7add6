package jp.mamori.server.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What an administrator does to accounts: create, give roles, disable or retire with a reason,
 * unlock with a reason, give an IC card. Every change is recorded with who did it.
 */
@Service
class AccountAdministration {

    private final AccountStore accounts;
    private final PasswordService passwords;
    private final LoginThrottle throttle;
    private final IcCards cards;
    private final SecondFactors factors;
    private final SecurityEvents events;
    private final FindByIndexNameSessionRepository<? extends Session> sessions;
    private final ApplicationEventPublisher publisher;
    private final JdbcClient jdbc;

    AccountAdministration(
            AccountStore accounts,
            PasswordService passwords,
            LoginThrottle throttle,
            IcCards cards,
            SecondFactors factors,
            SecurityEvents events,
            FindByIndexNameSessionRepository<? extends Session> sessions,
            ApplicationEventPublisher publisher,
            JdbcClient jdbc) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.throttle = throttle;
        this.cards = cards;
        this.factors = factors;
        this.events = events;
        this.sessions = sessions;
        this.publisher = publisher;
        this.jdbc = jdbc;
    }

    record Role(long id, String code, String nameJa, String nameEn, String factorPolicy, boolean administrator) {}

    record Department(long id, String code, String nameJa, String nameEn) {}

    List<Role> roles() {
        return jdbc.sql("SELECT id, code, name_ja, name_en, factor_policy, administrator FROM role ORDER BY id")
                .query((rs, n) -> new Role(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getBoolean(6)))
                .list();
    }

    List<Department> departments() {
        return jdbc.sql("SELECT id, code, name_ja, name_en FROM department ORDER BY code")
                .query((rs, n) -> new Department(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    long createDepartment(String code, String nameJa, String nameEn) {
        return jdbc.sql("INSERT INTO department (code, name_ja, name_en) VALUES (?, ?, ?) RETURNING id")
                .params(code, nameJa, nameEn)
                .query(Long.class)
                .single();
    }

    /** Permissions per role: role code → category → READ or WRITE. */
    Map<String, Map<InformationCategory, String>> rolePermissions() {
        Map<String, Map<InformationCategory, String>> out = new LinkedHashMap<>();
        jdbc.sql(
                        """
                        SELECT r.code, p.category, p.access FROM role r
                        LEFT JOIN role_permission p ON p.role_id = r.id ORDER BY r.id""")
                .query(rs -> {
                    var map = out.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(InformationCategory.class));
                    if (rs.getString(2) != null) {
                        map.put(InformationCategory.valueOf(rs.getString(2)), rs.getString(3));
                    }
                });
        return out;
    }

    /** The strongest access an account has to each category through any of its roles. */
    Map<InformationCategory, String> effectivePermissions(
            Account account, Map<String, Map<InformationCategory, String>> byRole) {
        Map<InformationCategory, String> out = new EnumMap<>(InformationCategory.class);
        for (String role : account.roles()) {
            byRole.getOrDefault(role, Map.of())
                    .forEach((c, a) ->
                            out.merge(c, a, (x, y) -> x.equals("WRITE") || y.equals("WRITE") ? "WRITE" : "READ"));
        }
        return out;
    }

    @Transactional
    long create(
            MamoriPrincipal by,
            String loginId,
            String displayName,
            AccountKind kind,
            JobType job,
            @Nullable Long departmentId,
            @Nullable LocalDate birthDate,
            @Nullable Instant expiresAt,
            Set<String> roles,
            String initialPassword) {
        if (kind == AccountKind.VENDOR && expiresAt == null) {
            throw new IllegalArgumentException("account.vendorNeedsExpiry");
        }
        if (accounts.byLoginId(loginId).isPresent()) {
            throw new IllegalArgumentException("account.loginIdTaken");
        }
        long id = accounts.create(new AccountStore.NewAccount(
                loginId.strip(), displayName.strip(), kind, job, departmentId, birthDate, expiresAt));
        accounts.setRoles(id, roles);
        passwords.change(accounts.byId(id).orElseThrow(), initialPassword, true);
        events.record(SecurityEvent.success(SecurityEventType.ACCOUNT_CHANGED)
                .account(id, loginId.strip())
                .detail("action", "create")
                .detail("by", by.loginId())
                .detail("roles", String.join(",", roles))
                .build());
        return id;
    }

    @Transactional
    void setRoles(MamoriPrincipal by, long accountId, Set<String> roles) {
        Account a = accounts.byId(accountId).orElseThrow();
        accounts.setRoles(accountId, roles);
        events.record(SecurityEvent.success(SecurityEventType.ROLE_CHANGED)
                .account(a.id(), a.loginId())
                .detail("by", by.loginId())
                .detail("before", String.join(",", a.roles()))
                .detail("after", String.join(",", roles))
                .build());
    }

    /** Disables or retires the account and ends all its sessions. */
    @Transactional
    void setStatus(MamoriPrincipal by, long accountId, Account.Status status, String reason) {
        if (reason.isBlank()) {
            throw new IllegalArgumentException("account.reasonRequired");
        }
        Account a = accounts.byId(accountId).orElseThrow();
        accounts.setStatus(accountId, status, reason.strip());
        events.record(SecurityEvent.success(SecurityEventType.ACCOUNT_CHANGED)
                .account(a.id(), a.loginId())
                .detail("action", "status:" + status)
                .detail("by", by.loginId())
                .detail("reason", reason.strip())
                .build());
        if (status != Account.Status.ACTIVE) {
            endAllSessions(a);
        }
    }

    @Transactional
    void unlock(MamoriPrincipal by, long accountId, String reason) {
        if (reason.isBlank()) {
            throw new IllegalArgumentException("account.reasonRequired");
        }
        Account a = accounts.byId(accountId).orElseThrow();
        accounts.setAdminLocked(accountId, false);
        throttle.clear(a.loginId());
        throttle.succeed("second-factor:" + a.id());
        events.record(SecurityEvent.success(SecurityEventType.UNLOCK)
                .account(a.id(), a.loginId())
                .detail("by", by.loginId())
                .detail("reason", reason.strip())
                .build());
    }

    @Transactional
    void enrolCard(MamoriPrincipal by, long accountId, String uid, IcCards.CardType type, String label, String pin) {
        Account a = accounts.byId(accountId).orElseThrow();
        cards.enrol(accountId, uid, type, label, pin);
        events.record(SecurityEvent.success(SecurityEventType.FACTOR_ENROLLED)
                .account(a.id(), a.loginId())
                .detail("factor", "ic_card")
                .detail("by", by.loginId())
                .build());
    }

    @Transactional
    void revokeCard(MamoriPrincipal by, long accountId, long cardId) {
        Account a = accounts.byId(accountId).orElseThrow();
        cards.revoke(cardId);
        events.record(SecurityEvent.success(SecurityEventType.FACTOR_REMOVED)
                .account(a.id(), a.loginId())
                .detail("factor", "ic_card")
                .detail("by", by.loginId())
                .build());
    }

    @Transactional
    void resetTotp(MamoriPrincipal by, long accountId) {
        factors.removeTotp(accounts.byId(accountId).orElseThrow(), by.loginId());
    }

    private void endAllSessions(Account a) {
        for (Session s : sessions.findByPrincipalName(a.loginId()).values()) {
            sessions.deleteById(s.getId());
            Object t = s.getAttribute(TerminalSignIn.TERMINAL_ID);
            publisher.publishEvent(new SessionEnded(
                    a.id(),
                    a.loginId(),
                    s.getId(),
                    t instanceof Long id ? id : null,
                    SessionEnded.Reason.ADMINISTRATOR));
        }
    }
}
