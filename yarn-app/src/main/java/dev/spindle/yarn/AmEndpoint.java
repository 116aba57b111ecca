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
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The AM's HTTP endpoint: workers ask for blocks and report attempts, the driver reads the
 * job's status. Every {@code /v1} request must carry the per-job secret; the human page at
 * {@code /} is installed by {@link #servePage} and is for the ResourceManager's web proxy only.
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
    private final byte[] secret;
    private final Handler handler;
    private final ObjectMapper json;
    private final String advertisedHost;

    AmEndpoint(String bindHost, byte[] secret, Handler handler, ObjectMapper json) throws IOException {
        this.secret = Base64.getEncoder().encode(requireNonNull(secret, "secret is null"));
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
            String presented = exchange.getRequestHeaders().getFirst(Protocol.SECRET_HEADER);
            if (presented == null || !MessageDigest.isEqual(secret, presented.getBytes(UTF_8))) {
                send(exchange, 403, "text/plain", "Missing or wrong job secret".getBytes(UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            try {
                Object response;
                switch (path) {
                    case Protocol.NEXT_PATH -> response = handler.next(read(exchange, Protocol.WorkRequest.class));
                    case Protocol.REPORT_PATH -> {
                        handler.report(read(exchange, Protocol.AttemptReport.class));
                        response = "ok";
                    }
                    case Protocol.STATUS_PATH -> response = handler.status();
                    case Protocol.PREPARATION_PATH -> response = handler.preparation();
                    case Protocol.HEARTBEAT_PATH -> response = handler.heartbeat(read(exchange, Protocol.Heartbeat.class));
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

    private <T> T read(HttpExchange exchange, Class<T> type) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            return json.readValue(body, type);
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
