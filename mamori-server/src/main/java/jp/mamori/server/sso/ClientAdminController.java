package jp.mamori.server.sso;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.MamoriPrincipal;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/clients}: the business applications that sign users in through Mamori. A new
 * confidential client's secret is shown once and stored only as a hash. Every change is logged.
 */
@Controller
class ClientAdminController {

    private final EnabledClients clients;
    private final JdbcClient db;
    private final SigningKeys keys;
    private final SecurityEvents events;
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final SecureRandom random = new SecureRandom();

    ClientAdminController(EnabledClients clients, JdbcClient db, SigningKeys keys, SecurityEvents events) {
        this.clients = clients;
        this.db = db;
        this.keys = keys;
        this.events = events;
    }

    record Row(String id, String clientId, String name, String redirectUris) {}

    @GetMapping("/admin/clients")
    String list(Model model) {
        model.addAttribute(
                "clients",
                db.sql(
                                "SELECT id, client_id, client_name, redirect_uris FROM oauth2_registered_client WHERE NOT disabled ORDER BY client_name")
                        .query((rs, n) -> new Row(
                                rs.getString(1), rs.getString(2), rs.getString(3), String.valueOf(rs.getString(4))))
                        .list());
        return "sso/clients";
    }

    @PostMapping("/admin/clients")
    String register(
            @RequestParam String clientId,
            @RequestParam String name,
            @RequestParam String redirectUris,
            @RequestParam(defaultValue = "") String postLogoutRedirectUris,
            @RequestParam(defaultValue = "") String backchannelLogoutUri,
            @RequestParam(defaultValue = "openid profile") String scopes,
            @RequestParam(defaultValue = "false") boolean confidential,
            @AuthenticationPrincipal MamoriPrincipal admin,
            Model model) {
        var builder = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId.strip())
                .clientName(name.strip())
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN);
        lines(redirectUris).forEach(builder::redirectUri);
        lines(postLogoutRedirectUris).forEach(builder::postLogoutRedirectUri);
        lines(scopes).forEach(builder::scope);
        var settings = ClientSettings.builder().requireProofKey(!confidential).requireAuthorizationConsent(false);
        if (!backchannelLogoutUri.isBlank()) {
            settings.setting(BackChannelLogout.SETTING, backchannelLogoutUri.strip());
        }
        builder.clientSettings(settings.build());
        @Nullable String secret = null;
        if (confidential) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientSecret(encoder.encode(secret));
        } else {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        }
        clients.save(builder.build());
        changed(admin, "register", clientId);
        model.addAttribute("newClientId", clientId);
        model.addAttribute("newSecret", secret);
        return list(model);
    }

    @PostMapping("/admin/clients/{id}/disable")
    String disable(@PathVariable String id, @AuthenticationPrincipal MamoriPrincipal admin) {
        var client = clients.findById(id);
        if (client != null) {
            clients.disable(id);
            changed(admin, "disable", client.getClientId());
        }
        return "redirect:/admin/clients";
    }

    @PostMapping("/admin/clients/rotate-key")
    String rotate(@AuthenticationPrincipal MamoriPrincipal admin) {
        String kid = keys.rotate();
        changed(admin, "rotate-signing-key", kid);
        return "redirect:/admin/clients?rotated";
    }

    private void changed(MamoriPrincipal admin, String action, String subject) {
        events.record(SecurityEvent.success(SecurityEventType.CLIENT_CHANGED)
                .account(admin.accountId(), admin.loginId())
                .terminal(admin.terminalId())
                .detail("action", action)
                .detail("client", subject)
                .build());
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("[\\s,]+"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
