package jp.mamori.server.backup;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.MamoriPrincipal;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The backup page: each watched repository with its datasets, a timeline of generations and drills
 * over the last five weeks, the generations the ransomware guard marked, and the drill records.
 * Administrators register and remove repositories here.
 */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class BackupController {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private static final int DAYS = 35;
    static final int WIDTH = 700;
    static final int ROW = 28;

    private final WatchedRepositories repositories;
    private final RecordedBackups recorded;
    private final BackupMonitor monitor;
    private final SecurityEvents events;
    private final Clock clock;

    BackupController(
            WatchedRepositories repositories,
            RecordedBackups recorded,
            BackupMonitor monitor,
            SecurityEvents events,
            Clock clock) {
        this.repositories = repositories;
        this.recorded = recorded;
        this.monitor = monitor;
        this.events = events;
        this.clock = clock;
    }

    /** One repository as the page shows it. */
    record View(
            WatchedRepositories.Watched repository,
            BackupEvidence.Repository evidence,
            List<RecordedBackups.Generation> generations,
            List<RecordedBackups.DrillRow> drills,
            Timeline timeline) {}

    /** The drawing: rows per dataset kind plus one for drills; x is time over the window. */
    record Timeline(int height, List<String> rows, List<Mark> marks, List<Tick> ticks) {}

    /**
     * @param shape {@code generation} or {@code drill}
     * @param state ok, suspect, gone, failed
     */
    record Mark(int x, int y, String shape, String state, String title) {}

    record Tick(int x, String label) {}

    @GetMapping("/backup")
    String page(Model model) {
        Instant now = clock.instant();
        Instant since = now.minus(Duration.ofDays(DAYS));
        List<View> views = new ArrayList<>();
        List<BackupEvidence.Repository> evidence = recorded.repositories();
        List<WatchedRepositories.Watched> all = repositories.all();
        for (int i = 0; i < all.size(); i++) {
            WatchedRepositories.Watched w = all.get(i);
            var generations = recorded.generations(w.id(), now.minus(Duration.ofDays(400)));
            var drills = recorded.drills(w.id());
            views.add(new View(w, evidence.get(i), generations, drills, timeline(generations, drills, since, now)));
        }
        model.addAttribute("views", views);
        model.addAttribute("width", WIDTH + 120);
        return "backup/backup";
    }

    static Timeline timeline(
            List<RecordedBackups.Generation> generations,
            List<RecordedBackups.DrillRow> drills,
            Instant since,
            Instant now) {
        Set<String> kinds = new LinkedHashSet<>();
        for (var g : generations) {
            if (!g.takenAt().isBefore(since)) {
                kinds.add(g.kind());
            }
        }
        List<String> rows = new ArrayList<>(kinds.stream().sorted().toList());
        rows.add("drill");
        List<Mark> marks = new ArrayList<>();
        double span = Duration.between(since, now).toSeconds();
        for (var g : generations) {
            if (g.takenAt().isBefore(since)) {
                continue;
            }
            int x = 110 + (int) (WIDTH * Duration.between(since, g.takenAt()).toSeconds() / span);
            int y = 20 + ROW * rows.indexOf(g.kind());
            String state = g.suspect() ? "suspect" : g.goneAt() != null ? "gone" : "ok";
            marks.add(new Mark(x, y, "generation", state, g.shortName() + " " + local(g.takenAt())));
        }
        for (var d : drills) {
            if (d.startedAt().isBefore(since)) {
                continue;
            }
            int x = 110 + (int) (WIDTH * Duration.between(since, d.startedAt()).toSeconds() / span);
            int y = 20 + ROW * (rows.size() - 1);
            marks.add(
                    new Mark(x, y, "drill", d.passed() && d.signatureValid() ? "ok" : "failed", local(d.startedAt())));
        }
        List<Tick> ticks = new ArrayList<>();
        LocalDate first = LocalDate.ofInstant(since, JST);
        for (int day = 0; day <= DAYS; day += 7) {
            LocalDate d = first.plusDays(day);
            Instant at = d.atStartOfDay(JST).toInstant();
            if (at.isBefore(since)) {
                at = since;
            }
            int x = 110 + (int) (WIDTH * Duration.between(since, at).toSeconds() / span);
            ticks.add(new Tick(x, d.getMonthValue() + "/" + d.getDayOfMonth()));
        }
        return new Timeline(20 + ROW * rows.size(), rows, marks, ticks);
    }

    static String local(Instant t) {
        return t.atZone(JST).toLocalDateTime().withNano(0).toString().replace('T', ' ');
    }

    @PostMapping("/backup/repositories")
    @PreAuthorize("hasRole('ADMIN')")
    String register(
            @RequestParam String name,
            @RequestParam String location,
            @RequestParam String passphrase,
            @AuthenticationPrincipal MamoriPrincipal who,
            RedirectAttributes redirect) {
        try {
            long id = repositories.register(name, location, passphrase, who.loginId());
            events.record(SecurityEvent.success(SecurityEventType.BACKUP_REPOSITORY_CHANGED)
                    .account(who.accountId(), who.loginId())
                    .detail("action", "register")
                    .detail("repository", name)
                    .detail("location", location)
                    .build());
            repositories.all().stream().filter(w -> w.id() == id).findFirst().ifPresent(monitor::check);
            redirect.addFlashAttribute("message", "backup.registered");
        } catch (IOException | RuntimeException e) {
            redirect.addFlashAttribute("error", e.getMessage() == null ? e.toString() : e.getMessage());
            redirect.addFlashAttribute("name", name);
            redirect.addFlashAttribute("location", location);
        }
        return "redirect:/backup";
    }

    @PostMapping("/backup/repositories/{id}/check")
    String check(@PathVariable long id) {
        repositories.all().stream().filter(w -> w.id() == id).findFirst().ifPresent(monitor::check);
        return "redirect:/backup";
    }

    @PostMapping("/backup/repositories/{id}/remove")
    @PreAuthorize("hasRole('ADMIN')")
    String remove(@PathVariable long id, @AuthenticationPrincipal MamoriPrincipal who) {
        repositories.all().stream().filter(w -> w.id() == id).findFirst().ifPresent(w -> {
            repositories.remove(id);
            events.record(SecurityEvent.success(SecurityEventType.BACKUP_REPOSITORY_CHANGED)
                    .account(who.accountId(), who.loginId())
                    .detail("action", "remove")
                    .detail("repository", w.name())
                    .build());
        });
        return "redirect:/backup";
    }
}
