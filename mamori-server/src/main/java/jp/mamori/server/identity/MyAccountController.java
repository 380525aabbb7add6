package jp.mamori.server.identity;

import java.util.List;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** "My account": the factors I have, my password, my recovery codes, my recent sign-ins. */
@Controller
class MyAccountController {

    private final AccountStore accounts;
    private final SecondFactors factors;
    private final IcCards cards;
    private final PasswordService passwords;
    private final SecurityEvents events;
    private final Passkeys passkeys;
    private final FreshSignIn fresh;
    private final PasskeySettings passkeySettings;

    MyAccountController(
            AccountStore accounts,
            SecondFactors factors,
            IcCards cards,
            PasswordService passwords,
            SecurityEvents events,
            Passkeys passkeys,
            FreshSignIn fresh,
            PasskeySettings passkeySettings) {
        this.accounts = accounts;
        this.factors = factors;
        this.cards = cards;
        this.passwords = passwords;
        this.events = events;
        this.passkeys = passkeys;
        this.fresh = fresh;
        this.passkeySettings = passkeySettings;
    }

    @GetMapping("/account")
    String page(@AuthenticationPrincipal MamoriPrincipal me, Authentication auth, Model model) {
        model.addAttribute("passkeys", passkeys.of(me.loginId()));
        model.addAttribute("passkeyFresh", fresh.fresh(auth));
        model.addAttribute("freshMinutes", passkeySettings.freshSignIn().toMinutes());
        model.addAttribute("account", accounts.byId(me.accountId()).orElseThrow());
        model.addAttribute("hasTotp", factors.hasTotp(me.accountId()));
        model.addAttribute("recoveryLeft", factors.unusedRecoveryCodes(me.accountId()));
        model.addAttribute("cards", cards.of(me.accountId()));
        model.addAttribute("events", events.latestOf(me.accountId(), 20));
        return "account/account";
    }

    @PostMapping("/account/password")
    String changePassword(
            @AuthenticationPrincipal MamoriPrincipal me,
            @RequestParam String current,
            @RequestParam String password,
            RedirectAttributes redirect) {
        Account account = accounts.byId(me.accountId()).orElseThrow();
        if (account.passwordHash() == null || !passwords.matches(current, account.passwordHash())) {
            events.record(SecurityEvent.failure(SecurityEventType.PASSWORD_CHANGED)
                    .account(me.accountId(), me.loginId())
                    .detail("reason", "bad_current_password")
                    .build());
            redirect.addFlashAttribute("errors", List.of("account.currentPasswordWrong"));
            return "redirect:/account";
        }
        try {
            passwords.change(account, password, me.secondFactorRequired());
        } catch (PasswordService.PasswordRejected rejected) {
            redirect.addFlashAttribute("errors", rejected.rules());
            return "redirect:/account";
        }
        events.record(SecurityEvent.success(SecurityEventType.PASSWORD_CHANGED)
                .account(me.accountId(), me.loginId())
                .build());
        redirect.addFlashAttribute("done", "account.passwordChanged");
        return "redirect:/account";
    }

    @PostMapping("/account/passkeys/remove")
    String removePasskey(
            @AuthenticationPrincipal MamoriPrincipal me,
            @RequestParam String credentialId,
            RedirectAttributes redirect) {
        if (passkeys.removeOwn(me, credentialId.strip())) {
            redirect.addFlashAttribute("done", "passkeys.removed");
        } else {
            redirect.addFlashAttribute("errors", List.of("passkeys.notFound"));
        }
        return "redirect:/account";
    }

    @PostMapping("/account/recovery-codes")
    String newRecoveryCodes(Authentication auth, @AuthenticationPrincipal MamoriPrincipal me, Model model) {
        model.addAttribute(
                "codes", factors.newRecoveryCodes(accounts.byId(me.accountId()).orElseThrow()));
        return "account/recovery-codes";
    }
}
