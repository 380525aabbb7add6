package jp.mamori.terminalagent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Hands card UIDs to the terminal's lock screen as Server-Sent Events on the loopback interface
 * only ({@code GET /card/events}). Only the configured Mamori origin may read them.
 */
final class CardFeed implements AutoCloseable {

    private final HttpServer server;
    private final String allowedOrigin;
    private final List<OutputStream> listeners = new CopyOnWriteArrayList<>();

    CardFeed(int port, String allowedOrigin) throws IOException {
        this.allowedOrigin = allowedOrigin;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        this.server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "card-feed");
            t.setDaemon(true);
            return t;
        }));
        this.server.createContext("/card/events", this::subscribe);
        this.server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void subscribe(HttpExchange exchange) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.equals(allowedOrigin)) {
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.getResponseHeaders().add("Access-Control-Allow-Origin", allowedOrigin);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        listeners.add(out);
    }

    /** Sends one card tap to every open lock screen; drops screens that went away. */
    void publish(String uid) {
        byte[] event = ("event: card\ndata: {\"uid\":\"" + uid + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
        for (OutputStream out : listeners) {
            try {
                out.write(event);
                out.flush();
            } catch (IOException gone) {
                listeners.remove(out);
            }
        }
    }

    int listenerCount() {
        return listeners.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
