package jp.mamori.server.identity;

/**
 * Disabling an account from another module's work, such as the governance module's account review
 * (アカウント棚卸し): the same change as the administrator's account page makes, with the same
 * required reason, the same entry in the access log, and the account's sessions ended.
 */
public interface AccountDeactivation {

    /**
     * Disables the account.
     *
     * @param by the administrator doing it; anyone else is refused
     * @param reason why, as it will stand in the access log; required
     * @throws IllegalArgumentException {@code account.reasonRequired} for a blank reason
     * @throws org.springframework.security.access.AccessDeniedException when {@code by} is no administrator
     * @throws java.util.NoSuchElementException when there is no such account
     */
    void disable(MamoriPrincipal by, long accountId, String reason);
}
