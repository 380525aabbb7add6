package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page and the first-run setup page. */
@Controller
class SignInPages {

    private final FirstRunSetup setup;

    SignInPages(FirstRunSetup setup) {
        this.setup = setup;
    }

    @GetMapping("/login")
    String login(Model model) {
        model.addAttribute("setupOpen", setup.isOpen());
        return "login/login";
    }

    @GetMapping("/setup")
    String setupPage() {
        return setup.isOpen() ? "login/setup" : "redirect:/login";
    }

    @PostMapping("/setup")
    String completeSetup(
            @RequestParam String token,
            @RequestParam String loginId,
            @RequestParam String displayName,
            @RequestParam String password,
            Model model,
            HttpServletRequest request) {
        if (!setup.isOpen()) {
            return "redirect:/login";
        }
        if (loginId.isBlank() || displayName.isBlank()) {
            model.addAttribute("errors", List.of("setup.missing"));
            return "login/setup";
        }
        try {
            if (setup.complete(token, loginId, displayName, password)) {
                return "redirect:/login?setup";
            }
            model.addAttribute("errors", List.of("setup.badToken"));
        } catch (PasswordService.PasswordRejected rejected) {
            model.addAttribute("errors", rejected.rules());
        }
        model.addAttribute("loginId", loginId);
        model.addAttribute("displayName", displayName);
        return "login/setup";
    }
}
