package jp.mamori.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook receiver on loopback standing in for the security officer's chat or pager. */
public final class TestPager {

    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static final HttpServer SERVER = start();

    private TestPager() {}

    public static String url() {
        return "http://127.0.0.1:" + SERVER.getAddress().getPort() + "/hook";
    }

    public static List<String> received() {
        return RECEIVED;
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                RECEIVED.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
