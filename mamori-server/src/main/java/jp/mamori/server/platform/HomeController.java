package jp.mamori.server.platform;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The start page: what every capability reports, at a glance. */
@Controller
class HomeController {

    private final List<Dashboard> dashboards;
    private final MamoriProperties properties;

    HomeController(List<Dashboard> dashboards, MamoriProperties properties) {
        this.dashboards = dashboards;
        this.properties = properties;
    }

    @GetMapping("/")
    String home(Model model) {
        model.addAttribute(
                "cards", dashboards.stream().flatMap(d -> d.cards().stream()).toList());
        model.addAttribute("facility", properties.facilityName());
        return "index";
    }
}
