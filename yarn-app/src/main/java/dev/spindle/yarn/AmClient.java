package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Talks to the AM's endpoint on behalf of a worker or the driver. Every call is bounded: it
 * connects within the connect timeout, gets its whole answer within the read timeout, and is
 * tried again (after a pause that doubles) only when it timed out or could not connect; an
 * answer that is an HTTP error is not retried. After the last try it throws
 * {@link AmUnreachableException} naming the address.
 */
final class AmClient implements WorkerMain.BlockSource {

    /** No answer from the AM within the tries: it is gone, stalled, or unreachable. */
    static final class AmUnreachableException extends IOException {
        AmUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final URI address;
    private final RequestSignature.Signer signer;
    private final ObjectMapper json;
    private final YarnAppConfig.RpcSettings settings;

    AmClient(URI address, byte[] secret, ObjectMapper json, YarnAppConfig.RpcSettings settings) {
        this.address = requireNonNull(address, "address is null");
        this.signer = new RequestSignature.Signer(requireNonNull(secret, "secret is null"), System::currentTimeMillis);
        this.json = requireNonNull(json, "json is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(settings.connectTimeoutMillis()))
                .build();
    }

    URI address() {
        return address;
    }

    @Override
    public String location() {
        return address.toString();
    }

    @Override
    public Protocol.WorkResponse next(Protocol.WorkRequest request) throws IOException {
        return post(Protocol.NEXT_PATH, request, Protocol.WorkResponse.class);
    }

    @Override
    public void report(Protocol.AttemptReport report) throws IOException {
        post(Protocol.REPORT_PATH, report, String.class);
    }

    @Override
    public Protocol.HeartbeatResponse heartbeat(Protocol.Heartbeat heartbeat) throws IOException {
        return post(Protocol.HEARTBEAT_PATH, heartbeat, Protocol.HeartbeatResponse.class);
    }

    JobStatus status() throws IOException {
        return send("GET", Protocol.STATUS_PATH, new byte[0], JobStatus.class);
    }

    @Override
    public JobPreparation preparation() throws IOException {
        return send("GET", Protocol.PREPARATION_PATH, new byte[0], JobPreparation.class);
    }

    private <T> T post(String path, Object body, Class<T> responseType) throws IOException {
        return send("POST", path, json.writeValueAsBytes(body), responseType);
    }

    /** One signed request per try: a retried request has a fresh timestamp and nonce, so it is no replay. */
    private HttpRequest request(String method, URI uri, byte[] body) {
        RequestSignature.Signed signed = signer.sign(method, uri.getRawPath(), body);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header(RequestSignature.TIMESTAMP_HEADER, signed.timestamp())
                .header(RequestSignature.NONCE_HEADER, signed.nonce())
                .header(RequestSignature.SIGNATURE_HEADER, signed.signature())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMillis(settings.readTimeoutMillis()));
        return "GET".equals(method) ? request.GET().build() : request.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private <T> T send(String method, String path, byte[] body, Class<T> responseType) throws IOException {
        URI uri = address.resolve(path);
        HttpRequest built = request(method, uri, body);
        IOException last = null;
        long pause = settings.backoffMillis();
        for (int tryNumber = 1; tryNumber <= settings.tries(); tryNumber++) {
            if (tryNumber > 1) {
                sleep(pause, built);
                pause *= 2;
                built = request(method, uri, body);
            }
            HttpResponse<byte[]> response;
            CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(built, HttpResponse.BodyHandlers.ofByteArray());
            try {
                // bounds the whole exchange, body included: HttpRequest.timeout stops at the headers
                response = exchange.get(settings.readTimeoutMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                exchange.cancel(true);
                last = new IOException("No complete answer within %d ms".formatted(settings.readTimeoutMillis()), e);
                continue;
            } catch (ExecutionException e) {
                last = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                continue;
            } catch (InterruptedException e) {
                exchange.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while calling " + built.uri(), e);
            }
            if (response.statusCode() != 200) {
                throw new IOException("AM answered HTTP %d: %s: %s".formatted(response.statusCode(),
                        new String(response.body(), UTF_8), built.uri()));
            }
            return json.readValue(response.body(), responseType);
        }
        throw new AmUnreachableException("No answer from the ApplicationMaster after %d tries (connect timeout %d ms, read timeout %d ms; %s, %s): %s: %s"
                .formatted(settings.tries(), settings.connectTimeoutMillis(), settings.readTimeoutMillis(),
                        YarnAppConfig.RPC_TRIES, YarnAppConfig.RPC_READ_TIMEOUT_MS, describe(last), built.uri()), last);
    }

    private static String describe(IOException error) {
        return error == null ? "no try" : error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    private static void sleep(long millis, HttpRequest request) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while calling " + request.uri(), e);
        }
    }
}
