package jp.mamori.server.identity;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Stands in for the security officer's pager in tests: keeps the announcements the server made. */
@Component
class BreakGlassAnnouncements {
    final List<BreakGlassStarted> heard = new CopyOnWriteArrayList<>();

    @EventListener
    void on(BreakGlassStarted started) {
        heard.add(started);
    }
}
