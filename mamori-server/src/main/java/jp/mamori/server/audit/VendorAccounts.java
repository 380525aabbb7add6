package jp.mamori.server.audit;

import java.util.Set;

/**
 * Which sign-in names belong to vendors (事業者): the periodic review shows their access by day and
 * hour. The identity module knows the accounts and provides this; the access log only asks.
 */
public interface VendorAccounts {

    /** The login IDs of vendor accounts, in lower case. */
    Set<String> vendorLoginIds();
}
