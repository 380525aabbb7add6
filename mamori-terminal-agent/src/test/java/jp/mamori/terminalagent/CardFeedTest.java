package jp.mamori.terminalagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CardFeedTest {

    private static final String ORIGIN = "http://mamori.test:8080";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void hands_each_tap_to_the_open_lock_screen() throws Exception {
        try (CardFeed feed = new CardFeed(0, ORIGIN)) {
            HttpResponse<java.io.InputStream> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + feed.port() + "/card/events"))
                            .header("Origin", ORIGIN)
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue(ORIGIN);
            BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo(": connected");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (feed.listenerCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            feed.publish("0114B30012AB34CD");
            String line;
            StringBuilder event = new StringBuilder();
            while ((line = lines.readLine()) != null && !line.startsWith("data:")) {
                event.append(line).append('\n');
            }
            assertThat(event.toString()).contains("event: card");
            assertThat(line).isEqualTo("data: {\"uid\":\"0114B30012AB34CD\"}");
        }
    }

    @Test
    void refuses_pages_of_other_origins() throws Exception {
        try (CardFeed feed = new CardFeed(0, ORIGIN)) {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + feed.port() + "/card/events"))
                            .header("Origin", "http://evil.example")
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(403);
        }
    }
}
