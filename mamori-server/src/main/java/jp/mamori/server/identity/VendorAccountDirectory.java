package jp.mamori.server.identity;

import java.util.HashSet;
import java.util.Set;
import jp.mamori.server.audit.VendorAccounts;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Vendor accounts are those of kind VENDOR or of job type VENDOR, retired ones included. */
@Component
class VendorAccountDirectory implements VendorAccounts {

    private final JdbcClient jdbc;

    VendorAccountDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> vendorLoginIds() {
        return new HashSet<>(jdbc.sql("SELECT lower(login_id) FROM account WHERE kind = 'VENDOR' OR job_type = ?")
                .param(JobType.VENDOR.name())
                .query(String.class)
                .list());
    }
}
