package jp.mamori.server.identity;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.mamori.server.audit.SecurityEvents;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The administrator's pages for accounts, permissions, terminals and the sign-in log. */
@Controller
class AdminController {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private final AccountStore accounts;
    private final AccountAdministration admin;
    private final TerminalStore terminals;
    private final IcCards cards;
    private final SecondFactors factors;
    private final SecurityEvents events;
    private final Passkeys passkeys;

    AdminController(
            AccountStore accounts,
            AccountAdministration admin,
            TerminalStore terminals,
            IcCards cards,
            SecondFactors factors,
            SecurityEvents events,
            Passkeys passkeys) {
        this.passkeys = passkeys;
        this.accounts = accounts;
        this.admin = admin;
        this.terminals = terminals;
        this.cards = cards;
        this.factors = factors;
        this.events = events;
    }

    @GetMapping("/admin/accounts")
    String accounts(@RequestParam(defaultValue = "false") boolean adminsOnly, Model model) {
        List<Account> all = accounts.all();
        model.addAttribute(
                "accounts",
                adminsOnly ? all.stream().filter(Account::administrator).toList() : all);
        model.addAttribute(
                "adminCount", all.stream().filter(Account::administrator).count());
        model.addAttribute("adminsOnly", adminsOnly);
        model.addAttribute("passkeyCounts", passkeys.countsByLoginId());
        model.addAttribute("roles", admin.roles());
        model.addAttribute("departments", admin.departments());
        model.addAttribute("kinds", AccountKind.values());
        model.addAttribute("jobs", JobType.values());
        return "admin/accounts";
    }

    @PostMapping("/admin/accounts")
    String create(
            @AuthenticationPrincipal MamoriPrincipal by,
            @RequestParam String loginId,
            @RequestParam String displayName,
            @RequestParam AccountKind kind,
            @RequestParam JobType jobType,
            @RequestParam(required = false) Long departmentId,
            @RequestParam(required = false) LocalDate expires,
            @RequestParam(required = false) List<String> roles,
            @RequestParam String password,
            RedirectAttributes redirect) {
        try {
            long id = admin.create(
                    by,
                    loginId,
                    displayName,
                    kind,
                    jobType,
                    departmentId,
                    null,
                    expires == null
                            ? null
                            : expires.plusDays(1).atStartOfDay(JST).toInstant(),
                    roles == null ? Set.of() : new LinkedHashSet<>(roles),
                    password);
            return "redirect:/admin/accounts/" + id;
        } catch (PasswordService.PasswordRejected rejected) {
            redirect.addFlashAttribute("errors", rejected.rules());
        } catch (IllegalArgumentException invalid) {
            redirect.addFlashAttribute("errors", List.of(invalid.getMessage()));
        }
        return "redirect:/admin/accounts";
    }

    @GetMapping("/admin/accounts/{id}")
    String account(@PathVariable long id, Model model) {
        Account account = accounts.byId(id).orElseThrow(() -> new NotFound("account " + id));
        model.addAttribute("account", account);
        model.addAttribute("roles", admin.roles());
        model.addAttribute("cards", cards.of(id));
        model.addAttribute("hasTotp", factors.hasTotp(id));
        model.addAttribute("recoveryLeft", factors.unusedRecoveryCodes(id));
        model.addAttribute("events", events.latestOf(id, 30));
        model.addAttribute("cardTypes", IcCards.CardType.values());
        model.addAttribute("passkeys", passkeys.of(account.loginId()));
        return "admin/account";
    }

    @PostMapping("/admin/accounts/{id}/roles")
    String roles(
            @AuthenticationPrincipal MamoriPrincipal by,
            @PathVariable long id,
            @RequestParam(required = false) List<String> roles) {
        admin.setRoles(by, id, roles == null ? Set.of() : new LinkedHashSet<>(roles));
        return "redirect:/admin/accounts/" + id;
    }

    @PostMapping("/admin/accounts/{id}/status")
    String status(
            @AuthenticationPrincipal MamoriPrincipal by,
            @PathVariable long id,
            @RequestParam Account.Status status,
            @RequestParam String reason,
            RedirectAttributes redirect) {
        try {
            admin.setStatus(by, id, status, reason);
        } catch (IllegalArgumentException invalid) {
            redirect.addFlashAttribute("errors", List.of(invalid.getMessage()));
        }
        return "redirect:/admin/accounts/" + id;
    }

    @PostMapping("/admin/accounts/{id}/unlock")
    String unlock(
            @AuthenticationPrincipal MamoriPrincipal by,
            @PathVariable long id,
            @RequestParam String reason,
            RedirectAttributes redirect) {
        try {
            admin.unlock(by, id, reason);
        } catch (IllegalArgumentException invalid) {
            redirect.addFlashAttribute("errors", List.of(invalid.getMessage()));
        }
        return "redirect:/admin/accounts/" + id;
    }

    @PostMapping("/admin/accounts/{id}/cards")
    String enrolCard(
            @AuthenticationPrincipal MamoriPrincipal by,
            @PathVariable long id,
            @RequestParam String uid,
            @RequestParam IcCards.CardType type,
            @RequestParam String label,
            @RequestParam String pin,
            RedirectAttributes redirect) {
        try {
            admin.enrolCard(by, id, uid, type, label, pin);
        } catch (IllegalArgumentException invalid) {
            redirect.addFlashAttribute(
                    "errors",
                    List.of(invalid.getMessage().startsWith("pin.") ? invalid.getMessage() : "card.invalidUid"));
        } catch (org.springframework.dao.DuplicateKeyException taken) {
            redirect.addFlashAttribute("errors", List.of("card.taken"));
        }
        return "redirect:/admin/accounts/" + id;
    }

    @PostMapping("/admin/accounts/{id}/cards/{card}/revoke")
    String revokeCard(@AuthenticationPrincipal MamoriPrincipal by, @PathVariable long id, @PathVariable long card) {
        admin.revokeCard(by, id, card);
        return "redirect:/admin/accounts/" + id;
    }

    /** A lost or replaced phone: one passkey, or all of them, with the reason in the access log. */
    @PostMapping("/admin/accounts/{id}/passkeys/remove")
    String removePasskeys(
            @AuthenticationPrincipal MamoriPrincipal by,
            @PathVariable long id,
            @RequestParam(required = false) String credentialId,
            @RequestParam(defaultValue = "") String reason,
            RedirectAttributes redirect) {
        Account account = accounts.byId(id).orElseThrow(() -> new NotFound("account " + id));
        try {
            passkeys.removeByAdministrator(by, account, credentialId, reason);
        } catch (IllegalArgumentException invalid) {
            redirect.addFlashAttribute("errors", List.of(invalid.getMessage()));
        }
        return "redirect:/admin/accounts/" + id;
    }

    @PostMapping("/admin/accounts/{id}/totp/reset")
    String resetTotp(@AuthenticationPrincipal MamoriPrincipal by, @PathVariable long id) {
        admin.resetTotp(by, id);
        return "redirect:/admin/accounts/" + id;
    }

    @GetMapping("/admin/permissions")
    String permissions(Model model) {
        var byRole = admin.rolePermissions();
        List<Account> all = accounts.all().stream()
                .filter(a -> a.status() == Account.Status.ACTIVE)
                .toList();
        Map<Long, Map<InformationCategory, String>> matrix = new java.util.LinkedHashMap<>();
        for (Account a : all) {
            matrix.put(a.id(), admin.effectivePermissions(a, byRole));
        }
        model.addAttribute("categories", InformationCategory.values());
        model.addAttribute("accounts", all);
        model.addAttribute("matrix", matrix);
        model.addAttribute("roles", admin.roles());
        model.addAttribute("byRole", byRole);
        return "admin/permissions";
    }

    @GetMapping("/admin/terminals")
    String terminals(Model model) {
        model.addAttribute("terminals", terminals.all());
        model.addAttribute("departments", admin.departments());
        Map<Long, String> names = new java.util.HashMap<>();
        accounts.all().forEach(a -> names.put(a.id(), a.displayName()));
        model.addAttribute("names", names);
        return "admin/terminals";
    }

    @PostMapping("/admin/terminals")
    String registerTerminal(
            @AuthenticationPrincipal MamoriPrincipal by,
            @RequestParam String name,
            @RequestParam String location,
            @RequestParam(required = false) Long departmentId,
            @RequestParam(defaultValue = "true") boolean shared,
            @RequestParam(defaultValue = "300") int idleLockSeconds,
            RedirectAttributes redirect) {
        try {
            var registered = terminals.register(name.strip(), location.strip(), departmentId, shared, idleLockSeconds);
            events.record(jp.mamori.server.audit.SecurityEvent.success(
                            jp.mamori.server.audit.SecurityEventType.TERMINAL_CHANGED)
                    .terminal(registered.id())
                    .detail("action", "register")
                    .detail("by", by.loginId())
                    .build());
            redirect.addFlashAttribute("newCredential", registered.credential());
            redirect.addFlashAttribute("newTerminal", name.strip());
        } catch (org.springframework.dao.DataIntegrityViolationException invalid) {
            redirect.addFlashAttribute("errors", List.of("terminal.invalid"));
        }
        return "redirect:/admin/terminals";
    }

    @PostMapping("/admin/terminals/{id}/reissue")
    String reissue(@AuthenticationPrincipal MamoriPrincipal by, @PathVariable long id, RedirectAttributes redirect) {
        Terminal t = terminals.byId(id).orElseThrow(() -> new NotFound("terminal " + id));
        redirect.addFlashAttribute("newCredential", terminals.reissue(id));
        redirect.addFlashAttribute("newTerminal", t.name());
        events.record(
                jp.mamori.server.audit.SecurityEvent.success(jp.mamori.server.audit.SecurityEventType.TERMINAL_CHANGED)
                        .terminal(id)
                        .detail("action", "reissue")
                        .detail("by", by.loginId())
                        .build());
        return "redirect:/admin/terminals";
    }

    @GetMapping("/admin/events")
    String events(Model model) {
        model.addAttribute("events", events.latest(300));
        return "admin/events";
    }

    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NOT_FOUND)
    static final class NotFound extends RuntimeException {
        NotFound(String what) {
            super("No " + what);
        }
    }
}
