package dev.spindle.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on 127.0.0.1 in front of a server that lets each connection carry at most
 * {@code bytesPerSecond} toward the client, as a real object store's connections do: one stream
 * is then bounded by its connection's bandwidth rather than by the loopback server's CPU, and
 * what the read-ahead's several ranged GETs buy becomes measurable. Requests go through
 * unshaped. Each direction of a connection is a thread copying bytes; the shaped one is a token
 * bucket with a burst of {@value #BURST_BYTES} bytes, so that a connection idle between requests
 * does not save up a fast start.
 */
final class ShapedLink implements AutoCloseable {

    static final int BURST_BYTES = 256 << 10;
    private static final int CHUNK = 64 << 10;

    private final String targetHost;
    private final int targetPort;
    private final long bytesPerSecond;
    private final ServerSocket server;

    private ShapedLink(URI target, long bytesPerSecond) throws IOException {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
        }
        this.targetHost = target.getHost();
        this.targetPort = target.getPort();
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "shaped-link");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A relay to the server at {@code target} ({@code http://127.0.0.1:PORT}), accepting connections. */
    static ShapedLink start(URI target, long bytesPerSecond) throws IOException {
        return new ShapedLink(target, bytesPerSecond);
    }

    /** Where clients connect instead of the server. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                InputStream fromClient = client.getInputStream();
                OutputStream toClient = client.getOutputStream();
                InputStream fromUpstream = upstream.getInputStream();
                OutputStream toUpstream = upstream.getOutputStream();
                start("shaped-link-up", () -> copy(fromClient, toUpstream, 0, client, upstream));
                start("shaped-link-down", () -> copy(fromUpstream, toClient, bytesPerSecond, client, upstream));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("shaped link: " + e);
                }
            }
        }
    }

    private static void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Copies until end of stream, at most {@code rate} bytes a second (0: unshaped); then closes both sockets. */
    private static void copy(InputStream in, OutputStream out, long rate, Socket client, Socket upstream) {
        byte[] buffer = new byte[CHUNK];
        long burstNanos = rate == 0 ? 0 : BURST_BYTES * 1_000_000_000L / rate;
        long due = System.nanoTime();
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                if (rate > 0) {
                    long now = System.nanoTime();
                    due = Math.max(due, now - burstNanos) + n * 1_000_000_000L / rate;
                    while (due > now) {
                        LockSupport.parkNanos(due - now);
                        now = System.nanoTime();
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed: the connection is over
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
