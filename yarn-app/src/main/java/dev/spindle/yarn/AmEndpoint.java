package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The AM's HTTP endpoint: workers ask for blocks and report attempts, the driver reads the
 * job's status. Every {@code /v1} request must be signed with the per-job secret
 * ({@link RequestSignature}); one that is not, or is replayed, gets 401 and nothing else. The
 * human page at {@code /} is installed by {@link #servePage} and is for the ResourceManager's web
 * proxy only.
 */
final class AmEndpoint implements Closeable {

    /** What the endpoint serves; implemented by the ApplicationMaster. */
    interface Handler {
        Protocol.WorkResponse next(Protocol.WorkRequest request);

        void report(Protocol.AttemptReport report);

        JobStatus status();

        JobPreparation preparation();

        Protocol.HeartbeatResponse heartbeat(Protocol.Heartbeat heartbeat);

        /**
         * The endpoint could not answer a request at {@code path} because of an error that is not
         * the request's fault (out of memory, a bug): the AM cannot serve its job.
         */
        void serveFailed(String path, Throwable error);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    /** Bodies of /v1 requests are small JSON messages; a larger one is refused unread. */
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AmEndpoint.class);
    /** The JDK server's switch for TCP_NODELAY on the connections it accepts, read once, as it first starts. */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        // The JDK's server writes an answer's headers and its body apart. With Nagle's algorithm
        // on (its default), the body waits for the client's ACK of the headers, which Linux delays
        // by up to 40 ms: a worker's every ask for a block took 40-50 ms on loopback, 1.2 s of
        // its 3.5 s on 25 blocks. An explicit setting is left alone.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    private final RequestSignature.Verifier verifier;
    private final Handler handler;
    private final ObjectMapper json;
    private final String advertisedHost;

    AmEndpoint(String bindHost, byte[] secret, Handler handler, ObjectMapper json) throws IOException {
        this(bindHost, new RequestSignature.Verifier(requireNonNull(secret, "secret is null"), System::currentTimeMillis,
                YarnAppConfig.RPC_SIGNATURE_WINDOW_MS_DEFAULT), handler, json);
    }

    AmEndpoint(String bindHost, RequestSignature.Verifier verifier, Handler handler, ObjectMapper json) throws IOException {
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.json = requireNonNull(json, "json is null");
        this.advertisedHost = requireNonNull(bindHost, "bindHost is null");
        this.server = HttpServer.create(new InetSocketAddress(bindHost, 0), 64);
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "spindle-am-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/v1/", this::serveApi);
        server.start();
    }

    /** Serves the human page at every path outside {@code /v1/}, behind {@code filter} (see {@link TrackingPageHandler}). */
    void servePage(HttpHandler page, Filter filter) {
        server.createContext("/", page).getFilters().add(filter);
    }

    /** The endpoint's base address, e.g. {@code http://host:41234}. */
    URI address() {
        return URI.create("http://" + advertisedHost + ":" + server.getAddress().getPort());
    }

    private void serveApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            com.sun.net.httpserver.Headers headers = exchange.getRequestHeaders();
            RequestSignature.Signed signed = new RequestSignature.Signed(headers.getFirst(RequestSignature.TIMESTAMP_HEADER),
                    headers.getFirst(RequestSignature.NONCE_HEADER), headers.getFirst(RequestSignature.SIGNATURE_HEADER));
            byte[] body;
            if (signed.signature() == null) {
                body = new byte[0];
            } else {
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(MAX_BODY_BYTES + 1);
                }
            }
            URI uri = exchange.getRequestURI();
            String signedPath = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
            java.util.Optional<String> refusal = body.length > MAX_BODY_BYTES ? java.util.Optional.of("body over " + MAX_BODY_BYTES + " bytes")
                    : verifier.refusal(exchange.getRequestMethod(), signedPath, signed, body);
            if (refusal.isPresent()) {
                LOG.warn("Refused {} {} from {}: {}", exchange.getRequestMethod(), signedPath, exchange.getRemoteAddress(), refusal.get());
                send(exchange, 401, "text/plain", "Unauthorized".getBytes(UTF_8));
                return;
            }
            String path = uri.getPath();
            try {
                Object response;
                switch (path) {
                    case Protocol.NEXT_PATH -> response = handler.next(json.readValue(body, Protocol.WorkRequest.class));
                    case Protocol.REPORT_PATH -> {
                        handler.report(json.readValue(body, Protocol.AttemptReport.class));
                        response = "ok";
                    }
                    case Protocol.STATUS_PATH -> response = handler.status();
                    case Protocol.PREPARATION_PATH -> response = handler.preparation();
                    case Protocol.HEARTBEAT_PATH -> response = handler.heartbeat(json.readValue(body, Protocol.Heartbeat.class));
                    default -> {
                        send(exchange, 404, "text/plain", ("No such endpoint: " + path).getBytes(UTF_8));
                        return;
                    }
                }
                send(exchange, 200, "application/json", json.writeValueAsBytes(response));
            } catch (JsonProcessingException e) {
                send(exchange, 400, "text/plain", ("Unreadable request to " + path + ": " + e.getOriginalMessage()).getBytes(UTF_8));
            } catch (RuntimeException e) {
                send(exchange, 500, "text/plain", (path + " failed: " + e).getBytes(UTF_8));
            } catch (Error e) {
                // An Error thrown here would leave the connection open and the caller waiting:
                // answer, and let the AM fail the job saying why.
                handler.serveFailed(path, e);
                send(exchange, 500, "text/plain", (path + " failed: " + e).getBytes(UTF_8));
            }
        }
    }

    private static void send(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
