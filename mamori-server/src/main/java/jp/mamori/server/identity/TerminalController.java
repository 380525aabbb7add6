package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The shared terminal's screens: activation of the PC with its terminal credential, the lock
 * screen, and the card + PIN tap that signs in, unlocks or displaces.
 */
@Controller
class TerminalController {

    private final TerminalStore terminals;
    private final TerminalSignIn signIn;
    private final TerminalSettings settings;

    TerminalController(TerminalStore terminals, TerminalSignIn signIn, TerminalSettings settings) {
        this.terminals = terminals;
        this.signIn = signIn;
        this.settings = settings;
    }

    @GetMapping("/terminal/activate")
    String activatePage() {
        return "terminal/activate";
    }

    @PostMapping("/terminal/activate")
    String activate(@RequestParam String credential, HttpServletRequest request, HttpServletResponse response) {
        String c = credential.strip().toUpperCase(java.util.Locale.ROOT).replace(" ", "");
        if (terminals.byCredential(c).isEmpty()) {
            return "redirect:/terminal/activate?error";
        }
        TerminalCookie.write(response, c, request.isSecure());
        return "redirect:/terminal/lock";
    }

    @GetMapping("/terminal/lock")
    String lockScreen(HttpServletRequest request, Model model) {
        Optional<Terminal> terminal = current(request);
        if (terminal.isEmpty()) {
            return "terminal/unregistered";
        }
        model.addAttribute("terminal", terminal.get());
        model.addAttribute("cardAgent", settings.cardAgent() + "/card/events");
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        if (session != null
                && Boolean.TRUE.equals(session.getAttribute(TerminalSignIn.LOCKED))
                && auth != null
                && auth.getPrincipal() instanceof MamoriPrincipal p) {
            model.addAttribute("lockedUser", p.displayName());
        }
        return "terminal/lock";
    }

    @PostMapping("/terminal/lock")
    String lockNow(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (session != null
                && TerminalSignIn.terminalIdOf(session) != null
                && auth != null
                && auth.getPrincipal() instanceof MamoriPrincipal p) {
            signIn.lock(session, p, "user_or_idle");
        }
        return "redirect:/terminal/lock";
    }

    @PostMapping("/terminal/unlock")
    String unlock(
            @RequestParam(defaultValue = "") String cardUid,
            @RequestParam(defaultValue = "") String pin,
            HttpServletRequest request,
            HttpServletResponse response) {
        Optional<Terminal> terminal = current(request);
        if (terminal.isEmpty()) {
            return "redirect:/terminal/lock";
        }
        TerminalSignIn.Outcome outcome = signIn.tap(terminal.get(), cardUid, pin, request, response);
        return outcome == TerminalSignIn.Outcome.REFUSED ? "redirect:/terminal/lock?error" : "redirect:/";
    }

    private Optional<Terminal> current(HttpServletRequest request) {
        return TerminalCookie.read(request).flatMap(terminals::byCredential);
    }
}
