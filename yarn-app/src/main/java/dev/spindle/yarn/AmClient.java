package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

/** Talks to the AM's endpoint on behalf of a worker or the driver. */
final class AmClient {

    private final HttpClient http;
    private final URI address;
    private final String secret;
    private final ObjectMapper json;

    AmClient(URI address, byte[] secret, ObjectMapper json) {
        this.address = requireNonNull(address, "address is null");
        this.secret = Base64.getEncoder().encodeToString(requireNonNull(secret, "secret is null"));
        this.json = requireNonNull(json, "json is null");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    Protocol.WorkResponse next(Protocol.WorkRequest request) throws IOException {
        return post(Protocol.NEXT_PATH, request, Protocol.WorkResponse.class);
    }

    void report(Protocol.AttemptReport report) throws IOException {
        post(Protocol.REPORT_PATH, report, String.class);
    }

    JobStatus status() throws IOException {
        return send(HttpRequest.newBuilder(address.resolve(Protocol.STATUS_PATH)).GET(), JobStatus.class);
    }

    JobPreparation preparation() throws IOException {
        return send(HttpRequest.newBuilder(address.resolve(Protocol.PREPARATION_PATH)).GET(), JobPreparation.class);
    }

    private <T> T post(String path, Object body, Class<T> responseType) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        return send(HttpRequest.newBuilder(address.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), responseType);
    }

    private <T> T send(HttpRequest.Builder request, Class<T> responseType) throws IOException {
        HttpRequest built = request.header(Protocol.SECRET_HEADER, secret)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while calling " + built.uri(), e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("AM answered HTTP %d: %s: %s".formatted(response.statusCode(),
                    new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), built.uri()));
        }
        return json.readValue(response.body(), responseType);
    }
}
