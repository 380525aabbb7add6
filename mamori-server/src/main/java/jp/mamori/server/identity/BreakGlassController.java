package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class BreakGlassController {

    private final BreakGlass breakGlass;

    BreakGlassController(BreakGlass breakGlass) {
        this.breakGlass = breakGlass;
    }

    @GetMapping("/login/emergency")
    String page() {
        return "login/emergency";
    }

    @PostMapping("/login/emergency")
    String start(
            @RequestParam String loginId,
            @RequestParam String password,
            @RequestParam String reason,
            @RequestParam(required = false) String patientRef,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        try {
            if (breakGlass.start(loginId, password, reason, patientRef, request, response)) {
                return "redirect:/";
            }
            model.addAttribute("error", "login.failed");
        } catch (IllegalArgumentException invalid) {
            model.addAttribute("error", invalid.getMessage());
        }
        model.addAttribute("loginId", loginId);
        model.addAttribute("reason", reason);
        return "login/emergency";
    }

    @GetMapping("/admin/break-glass")
    String queue(Model model) {
        model.addAttribute("pending", breakGlass.unreviewed());
        model.addAttribute("recent", breakGlass.recent(50));
        return "admin/break-glass";
    }

    @PostMapping("/admin/break-glass/{id}/review")
    String review(@PathVariable long id, @RequestParam String note, @AuthenticationPrincipal MamoriPrincipal reviewer) {
        try {
            breakGlass.review(id, reviewer, note);
        } catch (IllegalArgumentException missing) {
            return "redirect:/admin/break-glass?noteRequired";
        }
        return "redirect:/admin/break-glass";
    }
}
