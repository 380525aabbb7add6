package jp.mamori.server.notification;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.mamori.server.backup.SuspectGenerationFound;
import jp.mamori.server.governance.VendorRemindersDue;
import jp.mamori.server.identity.BreakGlassStarted;
import jp.mamori.server.platform.Dashboard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores each notification for the dashboard and delivers it to every configured webhook. The
 * listener runs after the transaction that raised the event commits; the event publication
 * registry keeps it until delivery succeeds, so a notification survives a restart.
 */
@Service
class Notifications implements Dashboard {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);
    private final JdbcClient jdbc;
    private final NotificationSettings settings;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    Notifications(JdbcClient jdbc, NotificationSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    @ApplicationModuleListener
    void on(BreakGlassStarted started) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "break_glass");
        body.put("severity", "high");
        body.put("title", "緊急時アクセスが開始されました / Emergency access started");
        body.put("user", started.loginId());
        body.put("name", started.displayName());
        body.put("reason", started.reason());
        body.put("started_at", started.startedAt().toString());
        body.put("expires_at", started.expiresAt().toString());
        body.put("review", "/admin/break-glass");
        notify("break_glass", started.loginId() + ": " + started.reason(), body);
    }

    @ApplicationModuleListener
    void on(SuspectGenerationFound found) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "backup_suspect");
        body.put("severity", "critical");
        body.put("title", "ランサムウェアによる大量暗号化の疑い（バックアップ）/ Backup generation looks like mass encryption");
        body.put("repository", found.repository());
        body.put("generation", found.generation());
        body.put("dataset", found.kind());
        body.put("host", found.host());
        body.put("taken_at", found.takenAt().toString());
        body.put("reasons", found.reasons());
        body.put("review", "/backup");
        notify(
                "backup_suspect",
                found.repository() + " / " + found.host() + ": " + String.join("; ", found.reasons()),
                body);
    }

    @ApplicationModuleListener
    void on(VendorRemindersDue due) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "vendor_reminders");
        body.put("severity", "medium");
        body.put("title", "事業者管理の未対応事項 / Outstanding vendor items");
        body.put("day", due.day().toString());
        body.put("items", due.lines());
        body.put("review", "/governance/vendors");
        String summary = due.lines().size() + "件: " + String.join(" / ", due.lines());
        notify("vendor_reminders", summary.length() > 1000 ? summary.substring(0, 999) + "…" : summary, body);
    }

    void notify(String kind, String summary, Map<String, Object> body) {
        String payload = json.writeValueAsString(body);
        jdbc.sql("INSERT INTO notification (kind, summary, payload) VALUES (?, ?, ?::jsonb)")
                .params(kind, summary, payload)
                .update();
        for (URI hook : settings.webhooks()) {
            deliver(hook, payload);
        }
    }

    /** Throws when a webhook refuses, so that the event stays incomplete and is retried. */
    private void deliver(URI hook, String payload) {
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(hook)
                            .timeout(settings.timeout())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(payload))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("The webhook " + hook.getHost() + " answered HTTP " + r.statusCode());
            }
        } catch (java.io.IOException e) {
            log.warn("The webhook at {} could not be reached: {}", hook.getHost(), e.getMessage());
            throw new IllegalStateException("The webhook " + hook.getHost() + " could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Stored(long id, Instant createdAt, String kind, String summary) {}

    List<Stored> recent(int limit) {
        return jdbc.sql("SELECT id, created_at, kind, summary FROM notification ORDER BY id DESC LIMIT ?")
                .param(limit)
                .query((rs, n) ->
                        new Stored(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4)))
                .list();
    }

    @Override
    public List<Card> cards() {
        int day = jdbc.sql("SELECT count(*) FROM notification WHERE created_at > ?")
                .param(Timestamp.from(Instant.now().minusSeconds(86400)))
                .query(Integer.class)
                .single();
        return List.of(new Card(
                "dash.notifications.title",
                String.valueOf(day),
                "dash.notifications.note",
                "/notifications",
                day == 0 ? "ok" : "alert"));
    }
}
