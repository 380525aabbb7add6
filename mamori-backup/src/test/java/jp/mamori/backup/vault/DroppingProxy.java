package jp.mamori.backup.vault;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A TCP relay in front of the vault. On its first connection, once {@code cut} holds (the test checks
 * that the vault has stored the object), it closes the connection instead of relaying the vault's
 * answer: the client's request arrived, but the client never hears so. Later connections are relayed
 * whole. The relay sees only TLS records; it decides by the vault's state, not by the bytes.
 */
final class DroppingProxy implements Closeable {

    private final ServerSocket listener;
    private final int target;
    private final BooleanSupplier cut;
    private final AtomicInteger connections = new AtomicInteger();

    DroppingProxy(int targetPort, BooleanSupplier cut) throws IOException {
        this.target = targetPort;
        this.cut = cut;
        this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "dropping-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                boolean first = connections.incrementAndGet() == 1;
                relay(client, server, () -> false);
                relay(server, client, first ? cut : () -> false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void relay(Socket from, Socket to, BooleanSupplier cutNow) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (cutNow.getAsBoolean()) {
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side closed: close both below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
