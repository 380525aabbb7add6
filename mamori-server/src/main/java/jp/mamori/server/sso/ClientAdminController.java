package jp.mamori.server.sso;

import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.MamoriPrincipal;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
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
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * {@code /admin/clients}: the business applications that sign users in through Mamori. An
 * administrator registers, edits and disables them and rotates a confidential client's secret, which
 * is shown once and stored only as a hash. A form with an error stores nothing and says which field
 * is wrong. Every change is logged, never with a secret in it.
 */
@Controller
class ClientAdminController {

    private final EnabledClients clients;
    private final JdbcClient db;
    private final SigningKeys keys;
    private final SecurityEvents events;
    private final BackChannelDeliveries deliveries;
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final SecureRandom random = new SecureRandom();

    ClientAdminController(
            EnabledClients clients,
            JdbcClient db,
            SigningKeys keys,
            SecurityEvents events,
            BackChannelDeliveries deliveries) {
        this.clients = clients;
        this.db = db;
        this.keys = keys;
        this.events = events;
        this.deliveries = deliveries;
    }

    /**
     * @param pending back-channel logouts still being retried
     * @param failed back-channel logouts given up after the last attempt
     */
    record Row(String id, String clientId, String name, String redirectUris, long pending, long failed) {}

    @GetMapping("/admin/clients")
    String list(Model model) {
        var counts = deliveries.countsByClient();
        model.addAttribute(
                "clients",
                db.sql(
                                "SELECT id, client_id, client_name, redirect_uris FROM oauth2_registered_client WHERE NOT disabled ORDER BY client_name")
                        .query((rs, n) -> {
                            var count = counts.getOrDefault(rs.getString(1), BackChannelDeliveries.Counts.NONE);
                            return new Row(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    String.valueOf(rs.getString(4)),
                                    count.pending(),
                                    count.failed());
                        })
                        .list());
        if (!model.containsAttribute("form")) {
            form(model, new ClientForm("", "", "", "", "", "openid profile"), List.of());
        }
        return "sso/clients";
    }

    @PostMapping("/admin/clients")
    String register(
            @RequestParam(defaultValue = "") String clientId,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String redirectUris,
            @RequestParam(defaultValue = "") String postLogoutRedirectUris,
            @RequestParam(defaultValue = "") String backchannelLogoutUri,
            @RequestParam(defaultValue = "openid profile") String scopes,
            @RequestParam(defaultValue = "false") boolean confidential,
            @AuthenticationPrincipal MamoriPrincipal admin,
            Model model,
            HttpServletResponse response) {
        var form = new ClientForm(clientId, name, redirectUris, postLogoutRedirectUris, backchannelLogoutUri, scopes);
        List<ClientForm.FieldError> errors = new ArrayList<>(form.errors());
        if (errors.stream().noneMatch(e -> e.field().equals("clientId"))
                && db.sql("SELECT count(*) FROM oauth2_registered_client WHERE client_id = ?")
                                .param(form.clientId())
                                .query(Long.class)
                                .single()
                        > 0) {
            errors.add(new ClientForm.FieldError("clientId", "sso.form.clientId.taken", form.clientId()));
        }
        if (!errors.isEmpty()) {
            refused(admin, "register", form.clientId(), errors);
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            form(model, form, errors);
            model.addAttribute("confidential", confidential);
            return list(model);
        }
        var builder = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(form.clientId())
                .clientName(form.name())
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN);
        form.redirectUriList().forEach(builder::redirectUri);
        form.postLogoutRedirectUriList().forEach(builder::postLogoutRedirectUri);
        form.scopeList().forEach(builder::scope);
        var settings = ClientSettings.builder().requireProofKey(!confidential).requireAuthorizationConsent(false);
        if (!form.backchannelLogoutUri().isEmpty()) {
            settings.setting(BackChannelLogout.SETTING, form.backchannelLogoutUri());
        }
        builder.clientSettings(settings.build());
        @Nullable String secret = null;
        if (confidential) {
            secret = newSecret();
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientSecret(encoder.encode(secret));
        } else {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        }
        clients.save(builder.build());
        changed(admin, "register", form.clientId(), null);
        model.addAttribute("newClientId", form.clientId());
        model.addAttribute("newSecret", secret);
        return list(model);
    }

    @GetMapping("/admin/clients/{id}")
    String edit(@PathVariable String id, Model model) {
        RegisteredClient client = existing(id);
        if (!model.containsAttribute("form")) {
            form(model, ClientForm.of(client), List.of());
        }
        model.addAttribute("client", client);
        model.addAttribute("confidential", confidential(client));
        model.addAttribute("deliveries", deliveries.openOf(id));
        return "sso/client";
    }

    /**
     * Saves the edited client under the same ID: Spring Authorization Server's JDBC repository
     * updates the row in place, so authorizations already given stay attached to it. The client ID,
     * the authentication method and the secret are kept as they were.
     */
    @PostMapping("/admin/clients/{id}")
    String update(
            @PathVariable String id,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String redirectUris,
            @RequestParam(defaultValue = "") String postLogoutRedirectUris,
            @RequestParam(defaultValue = "") String backchannelLogoutUri,
            @RequestParam(defaultValue = "") String scopes,
            @AuthenticationPrincipal MamoriPrincipal admin,
            Model model,
            HttpServletResponse response) {
        RegisteredClient client = existing(id);
        var form = new ClientForm(
                client.getClientId(), name, redirectUris, postLogoutRedirectUris, backchannelLogoutUri, scopes);
        var errors = form.errors();
        if (!errors.isEmpty()) {
            refused(admin, "edit", client.getClientId(), errors);
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            form(model, form, errors);
            return edit(id, model);
        }
        var settings = new HashMap<>(client.getClientSettings().getSettings());
        if (form.backchannelLogoutUri().isEmpty()) {
            settings.remove(BackChannelLogout.SETTING);
        } else {
            settings.put(BackChannelLogout.SETTING, form.backchannelLogoutUri());
        }
        RegisteredClient updated = RegisteredClient.from(client)
                .clientName(form.name())
                .redirectUris(set -> {
                    set.clear();
                    set.addAll(form.redirectUriList());
                })
                .postLogoutRedirectUris(set -> {
                    set.clear();
                    set.addAll(form.postLogoutRedirectUriList());
                })
                .scopes(set -> {
                    set.clear();
                    set.addAll(form.scopeList());
                })
                .clientSettings(ClientSettings.withSettings(settings).build())
                .build();
        clients.save(updated);
        changed(admin, "edit", client.getClientId(), changedFields(ClientForm.of(client), form));
        return "redirect:/admin/clients/" + id + "?saved";
    }

    /** A new secret for a confidential client, shown once; the previous one stops working at once. */
    @PostMapping("/admin/clients/{id}/secret")
    String rotateSecret(@PathVariable String id, @AuthenticationPrincipal MamoriPrincipal admin, Model model) {
        RegisteredClient client = existing(id);
        if (!confidential(client)) {
            form(model, ClientForm.of(client), List.of(new ClientForm.FieldError("secret", "sso.secret.public", "")));
            return edit(id, model);
        }
        String secret = newSecret();
        clients.save(RegisteredClient.from(client)
                .clientSecret(encoder.encode(secret))
                .clientSecretExpiresAt(null)
                .build());
        changed(admin, "rotate-secret", client.getClientId(), null);
        model.addAttribute("newSecret", secret);
        return edit(id, model);
    }

    @PostMapping("/admin/clients/{id}/disable")
    String disable(@PathVariable String id, @AuthenticationPrincipal MamoriPrincipal admin) {
        var client = clients.findById(id);
        if (client != null) {
            clients.disable(id);
            changed(admin, "disable", client.getClientId(), null);
        }
        return "redirect:/admin/clients";
    }

    @PostMapping("/admin/clients/rotate-key")
    String rotate(@AuthenticationPrincipal MamoriPrincipal admin) {
        String kid = keys.rotate();
        changed(admin, "rotate-signing-key", kid, null);
        return "redirect:/admin/clients?rotated";
    }

    /** The form as typed, and its errors both as a list and by field, for the messages beside each field. */
    private static void form(Model model, ClientForm form, List<ClientForm.FieldError> errors) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute(
                "fieldErrors",
                errors.stream()
                        .collect(java.util.stream.Collectors.groupingBy(
                                ClientForm.FieldError::field,
                                java.util.LinkedHashMap::new,
                                java.util.stream.Collectors.toList())));
    }

    @ResponseStatus(HttpStatus.NOT_FOUND)
    static class UnknownClient extends RuntimeException {
        UnknownClient() {
            super("No enabled client with this ID");
        }
    }

    private RegisteredClient existing(String id) {
        RegisteredClient client = clients.findById(id);
        if (client == null) {
            throw new UnknownClient();
        }
        return client;
    }

    private static boolean confidential(RegisteredClient client) {
        return client.getClientAuthenticationMethods().stream()
                .anyMatch(m -> !m.equals(ClientAuthenticationMethod.NONE));
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String changedFields(ClientForm before, ClientForm after) {
        List<String> fields = new ArrayList<>();
        if (!before.name().equals(after.name())) {
            fields.add("name");
        }
        if (!Objects.equals(
                new java.util.HashSet<>(before.redirectUriList()), new java.util.HashSet<>(after.redirectUriList()))) {
            fields.add("redirectUris");
        }
        if (!Objects.equals(
                new java.util.HashSet<>(before.postLogoutRedirectUriList()),
                new java.util.HashSet<>(after.postLogoutRedirectUriList()))) {
            fields.add("postLogoutRedirectUris");
        }
        if (!before.backchannelLogoutUri().equals(after.backchannelLogoutUri())) {
            fields.add("backchannelLogoutUri");
        }
        if (!Objects.equals(new java.util.HashSet<>(before.scopeList()), new java.util.HashSet<>(after.scopeList()))) {
            fields.add("scopes");
        }
        return String.join(",", fields);
    }

    private void changed(MamoriPrincipal admin, String action, String subject, @Nullable String fields) {
        events.record(SecurityEvent.success(SecurityEventType.CLIENT_CHANGED)
                .account(admin.accountId(), admin.loginId())
                .terminal(admin.terminalId())
                .detail("action", action)
                .detail("client", subject)
                .detail("fields", fields)
                .build());
    }

    /** A refused form is logged too: someone tried to point a client somewhere it may not go. */
    private void refused(MamoriPrincipal admin, String action, String subject, List<ClientForm.FieldError> errors) {
        events.record(SecurityEvent.failure(SecurityEventType.CLIENT_CHANGED)
                .account(admin.accountId(), admin.loginId())
                .terminal(admin.terminalId())
                .detail("action", action)
                .detail("client", subject)
                .detail("fields", ClientForm.fields(errors))
                .build());
    }
}
