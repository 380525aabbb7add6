package jp.mamori.server.identity;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;

/** {@link AccountDeactivation} through {@link AccountAdministration}, which records who and why. */
@Component
class AccountDeactivationService implements AccountDeactivation {

    private final AccountAdministration administration;

    AccountDeactivationService(AccountAdministration administration) {
        this.administration = administration;
    }

    @Override
    public void disable(MamoriPrincipal by, long accountId, String reason) {
        // the administration pages are for administrators only; another module's page is no way around that
        if (!by.administrator()) {
            throw new AccessDeniedException("Only an administrator may disable an account");
        }
        administration.setStatus(by, accountId, Account.Status.DISABLED, reason);
    }
}
