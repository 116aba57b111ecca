package dev.spindle.s3;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a real S3 server that answers some requests with an S3
 * error instead of forwarding them, as an overloaded S3 would: the next {@code n} UploadPart
 * requests ({@code PUT ...?partNumber=}) get {@code 503 SlowDown}; the next ranged GETs of an
 * object past its first byte get {@code 500 InternalError}, or their body cut off halfway (the
 * connection closed mid-stream, as a broken link does). Everything else is forwarded
 * byte for byte (the SigV4 signature stays valid: the client signed the proxy's host, and the
 * server checks the Host header it receives). Any JVM can use it, the worker containers of a job
 * included: point {@code spindle.s3.endpoint} at {@link #endpoint()}.
 *
 * <p>Request bodies are forwarded by {@code Content-Length}; a connection that sends a chunked
 * request is piped raw from then on, without further injection.
 */
public final class S3FaultProxy implements AutoCloseable {

    private static final byte[] SLOW_DOWN_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message></Error>").getBytes(UTF_8);

    private static final byte[] INTERNAL_ERROR_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>"
            + "<Message>We encountered an internal error. Please try again.</Message></Error>").getBytes(UTF_8);

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final AtomicInteger uploadPartFaults = new AtomicInteger();
    private final AtomicInteger rangedGetErrors = new AtomicInteger();
    private final AtomicInteger rangedGetCuts = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();
    private volatile long uploadPartDelayMillis;

    private S3FaultProxy(URI target) throws IOException {
        this.targetHost = target.getHost();
        this.targetPort = target.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "s3-fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to the server at {@code target} ({@code http://127.0.0.1:PORT}), accepting connections. */
    public static S3FaultProxy start(URI target) throws IOException {
        return new S3FaultProxy(target);
    }

    /** {@code http://127.0.0.1:PORT} of this proxy. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next {@code count} UploadPart requests are answered with 503 SlowDown. */
    public void slowDownUploadParts(int count) {
        uploadPartFaults.addAndGet(count);
    }

    /**
     * The next {@code count} GETs with a {@code Range} that starts past byte 0 (the block reads of
     * workers; a driver's header read starts at 0) are answered {@code 500 InternalError}.
     */
    public void failRangedGets(int count) {
        rangedGetErrors.addAndGet(count);
    }

    /**
     * The next {@code count} GETs with a {@code Range} that starts past byte 0 are forwarded, but
     * the client gets the response head and only half of the body before the connection closes.
     */
    public void cutRangedGets(int count) {
        rangedGetCuts.addAndGet(count);
    }

    /** Every UploadPart request from now on is held this long before it is forwarded (a slow link). */
    public void delayUploadParts(long millis) {
        uploadPartDelayMillis = millis;
    }

    /** Requests answered with an error so far. */
    public int injected() {
        return injected.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread connection = new Thread(() -> serve(client), "s3-fault-proxy-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket upstream = new Socket(targetHost, targetPort)) {
            Thread responses = new Thread(() -> pipe(upstream, client), "s3-fault-proxy-responses");
            responses.setDaemon(true);
            responses.start();
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream toServer = upstream.getOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, ISO_8859_1);
                String requestLine = text.substring(0, text.indexOf("\r\n"));
                if (requestLine.startsWith("PUT ") && requestLine.contains("partNumber=") && take(uploadPartFaults)) {
                    OutputStream toClient = client.getOutputStream();
                    toClient.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
                            + SLOW_DOWN_BODY.length + "\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
                    toClient.write(SLOW_DOWN_BODY);
                    toClient.flush();
                    return;
                }
                if (requestLine.startsWith("GET ") && rangedPastStart(text.toLowerCase(Locale.ROOT))) {
                    if (take(rangedGetErrors)) {
                        OutputStream toClient = client.getOutputStream();
                        toClient.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/xml\r\nContent-Length: "
                                + INTERNAL_ERROR_BODY.length + "\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
                        toClient.write(INTERNAL_ERROR_BODY);
                        toClient.flush();
                        return;
                    }
                    if (take(rangedGetCuts)) {
                        forwardHalfTheBody(head, client.getOutputStream());
                        return; // closes the client's connection mid-body
                    }
                }
                if (requestLine.startsWith("PUT ") && requestLine.contains("partNumber=") && uploadPartDelayMillis > 0) {
                    try {
                        Thread.sleep(uploadPartDelayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                toServer.write(head);
                toServer.flush();
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.contains("\r\ntransfer-encoding: chunked")) {
                    in.transferTo(toServer);
                    return;
                }
                long length = contentLength(lower);
                byte[] buffer = new byte[64 << 10];
                while (length > 0) {
                    int read = in.read(buffer, 0, (int) Math.min(buffer.length, length));
                    if (read < 0) {
                        return;
                    }
                    toServer.write(buffer, 0, read);
                    length -= read;
                }
                toServer.flush();
            }
        } catch (IOException e) {
            // a connection closed by either side ends here
        }
    }

    /** Sends the GET on a connection of its own and relays its head and the first half of its body. */
    private void forwardHalfTheBody(byte[] requestHead, OutputStream toClient) throws IOException {
        try (Socket side = new Socket(targetHost, targetPort)) {
            side.getOutputStream().write(requestHead);
            side.getOutputStream().flush();
            InputStream fromServer = new BufferedInputStream(side.getInputStream());
            byte[] responseHead = readHead(fromServer);
            if (responseHead == null) {
                return;
            }
            toClient.write(responseHead);
            long half = contentLength(new String(responseHead, ISO_8859_1).toLowerCase(Locale.ROOT)) / 2;
            byte[] buffer = new byte[8192];
            while (half > 0) {
                int read = fromServer.read(buffer, 0, (int) Math.min(buffer.length, half));
                if (read < 0) {
                    break;
                }
                toClient.write(buffer, 0, read);
                half -= read;
            }
            toClient.flush();
        }
    }

    private static boolean rangedPastStart(String lowerHead) {
        int at = lowerHead.indexOf("\r\nrange: bytes=");
        return at >= 0 && lowerHead.charAt(at + "\r\nrange: bytes=".length()) != '0';
    }

    private boolean take(AtomicInteger faults) {
        while (true) {
            int left = faults.get();
            if (left <= 0) {
                return false;
            }
            if (faults.compareAndSet(left, left - 1)) {
                injected.incrementAndGet();
                return true;
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed
        } finally {
            try {
                to.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** The request line and headers up to and including the empty line; null at the end of the stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 1 << 20) {
                throw new IOException("Request head over 1 MiB");
            }
        }
        return head.toByteArray();
    }

    private static long contentLength(String lowerHead) {
        int at = lowerHead.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int end = lowerHead.indexOf("\r\n", at + 2);
        return Long.parseLong(lowerHead.substring(at + "\r\ncontent-length:".length(), end).trim());
    }
}
