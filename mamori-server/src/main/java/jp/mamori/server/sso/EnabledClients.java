package jp.mamori.server.sso;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/** The JDBC client repository, with clients that an administrator disabled treated as unknown. */
class EnabledClients implements RegisteredClientRepository {

    private final RegisteredClientRepository delegate;
    private final JdbcClient db;

    EnabledClients(RegisteredClientRepository delegate, JdbcClient db) {
        this.delegate = delegate;
        this.db = db;
    }

    @Override
    public void save(RegisteredClient client) {
        delegate.save(client);
    }

    @Override
    public @Nullable RegisteredClient findById(String id) {
        return enabled(delegate.findById(id));
    }

    @Override
    public @Nullable RegisteredClient findByClientId(String clientId) {
        return enabled(delegate.findByClientId(clientId));
    }

    void disable(String id) {
        db.sql("UPDATE oauth2_registered_client SET disabled = true WHERE id = ?")
                .param(id)
                .update();
    }

    private @Nullable RegisteredClient enabled(@Nullable RegisteredClient client) {
        if (client == null) {
            return null;
        }
        boolean disabled = db.sql("SELECT disabled FROM oauth2_registered_client WHERE id = ?")
                .param(client.getId())
                .query(Boolean.class)
                .optional()
                .orElse(true);
        return disabled ? null : client;
    }
}
