package jp.mamori.server.notification;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class NotificationController {
    private final Notifications notifications;

    NotificationController(Notifications notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/notifications")
    String list(Model model) {
        model.addAttribute("notifications", notifications.recent(200));
        return "notification/list";
    }
}
