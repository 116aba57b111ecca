package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AM's endpoint over real HTTP on loopback, with a hand-written handler. */
class AmEndpointTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final YarnAppConfig.RpcSettings FAST = new YarnAppConfig.RpcSettings(1_000, 1_000, 3, 50);

    private static class Handler implements AmEndpoint.Handler {
        Protocol.AttemptReport reported;
        volatile Throwable serveFailure;

        @Override
        public Protocol.HeartbeatResponse heartbeat(Protocol.Heartbeat heartbeat) {
            return new Protocol.HeartbeatResponse(heartbeat.block() != 7);
        }

        @Override
        public void serveFailed(String path, Throwable error) {
            serveFailure = error;
        }

        @Override
        public Protocol.WorkResponse next(Protocol.WorkRequest request) {
            return request.host().equals("busy") ? Protocol.WorkResponse.waitFor(200) : Protocol.WorkResponse.exit();
        }

        @Override
        public void report(Protocol.AttemptReport report) {
            reported = report;
        }

        @Override
        public JobStatus status() {
            return new JobStatus("application_1_0001", JobState.RUNNING, "", null, List.of(), null);
        }

        @Override
        public JobPreparation preparation() {
            throw new IllegalStateException("The job is not prepared yet");
        }
    }

    @Test
    void servesWorkersAndTheDriver() throws Exception {
        Handler handler = new Handler();
        try (AmEndpoint endpoint = new AmEndpoint("127.0.0.1", SECRET, handler, Protocol.newMapper())) {
            AmClient client = new AmClient(endpoint.address(), SECRET, Protocol.newMapper(), FAST);
            assertEquals(Protocol.Action.WAIT, client.next(new Protocol.WorkRequest("w1", "busy")).action());
            assertEquals(Protocol.Action.EXIT, client.next(new Protocol.WorkRequest("w1", "idle")).action());
            assertEquals(JobState.RUNNING, client.status().state());
            BlockOutcome outcome = new BlockOutcome(3, 2, 1, 0, 40, List.of(new BlockOutcome.RangeOutcome(0, 40, 4)), "part-00000.bin");
            client.report(new Protocol.AttemptReport("w1", "host", 0, 1, outcome, null, false));
            assertEquals(outcome, handler.reported.outcome());
        }
    }

    @Test
    void aHandlerFailureReachesTheCallerWithItsMessage() throws Exception {
        try (AmEndpoint endpoint = new AmEndpoint("127.0.0.1", SECRET, new Handler(), Protocol.newMapper())) {
            AmClient client = new AmClient(endpoint.address(), SECRET, Protocol.newMapper(), FAST);
            IOException failure = assertThrows(IOException.class, client::preparation);
            assertTrue(failure.getMessage().startsWith("AM answered HTTP 500: /v1/preparation failed: "
                    + "java.lang.IllegalStateException: The job is not prepared yet: http://127.0.0.1:"), failure.getMessage());
        }
    }

    @Test
    void refusesARequestSignedWithAnotherSecretSayingNothingAboutTheJob() throws Exception {
        try (AmEndpoint endpoint = new AmEndpoint("127.0.0.1", SECRET, new Handler(), Protocol.newMapper())) {
            AmClient stranger = new AmClient(endpoint.address(), "not the secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    Protocol.newMapper(), FAST);
            IOException failure = assertThrows(IOException.class, stranger::status);
            assertTrue(failure.getMessage().startsWith("AM answered HTTP 401: Unauthorized: http://127.0.0.1:"), failure.getMessage());
        }
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private static java.net.http.HttpResponse<String> send(java.net.http.HttpRequest request) throws Exception {
        return HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static java.net.http.HttpRequest signed(java.net.URI uri, String method, String body, RequestSignature.Signed signature) {
        return java.net.http.HttpRequest.newBuilder(uri)
                .header(RequestSignature.TIMESTAMP_HEADER, signature.timestamp())
                .header(RequestSignature.NONCE_HEADER, signature.nonce())
                .header(RequestSignature.SIGNATURE_HEADER, signature.signature())
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void anUnsignedAWronglySignedAnAlteredAndAReplayedRequestGet401AndNothingElse() throws Exception {
        Handler handler = new Handler();
        try (AmEndpoint endpoint = new AmEndpoint("127.0.0.1", SECRET, handler, Protocol.newMapper())) {
            java.net.URI status = endpoint.address().resolve(Protocol.STATUS_PATH);
            java.net.URI report = endpoint.address().resolve(Protocol.REPORT_PATH);
            RequestSignature.Signer signer = new RequestSignature.Signer(SECRET, System::currentTimeMillis);

            java.net.http.HttpResponse<String> unsigned = send(java.net.http.HttpRequest.newBuilder(status).GET().build());
            assertEquals(401, unsigned.statusCode());
            assertEquals("Unauthorized", unsigned.body(), "nothing about the job");
            // the old bearer header is no proof any more
            java.net.http.HttpResponse<String> bearer = send(java.net.http.HttpRequest.newBuilder(status)
                    .header("X-Spindle-Secret", java.util.Base64.getEncoder().encodeToString(SECRET)).GET().build());
            assertEquals(401, bearer.statusCode());

            RequestSignature.Signed other = new RequestSignature.Signer("another secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    System::currentTimeMillis).sign("GET", Protocol.STATUS_PATH, new byte[0]);
            java.net.http.HttpResponse<String> wrong = send(signed(status, "GET", "", other));
            assertEquals(401, wrong.statusCode());
            assertEquals("Unauthorized", wrong.body());
            assertFalse(wrong.body().contains("application_1_0001"));

            String body = new String(Protocol.newMapper().writeValueAsBytes(new Protocol.AttemptReport("w1", "h", 0, 1, null, "boom", false)),
                    java.nio.charset.StandardCharsets.UTF_8);
            RequestSignature.Signed forReport = signer.sign("POST", Protocol.REPORT_PATH, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(401, send(signed(report, "POST", body.replace("boom", "bang"), forReport)).statusCode(), "an altered body");
            assertEquals(401, send(signed(status, "POST", body, forReport)).statusCode(), "another path");
            assertEquals(401, send(signed(report, "PUT", body, forReport)).statusCode(), "another method");
            assertEquals(null, handler.reported);

            assertEquals(200, send(signed(report, "POST", body, forReport)).statusCode());
            assertEquals("boom", handler.reported.error());
            handler.reported = null;
            java.net.http.HttpResponse<String> replayed = send(signed(report, "POST", body, forReport));
            assertEquals(401, replayed.statusCode(), "the same request again is a replay");
            assertEquals("Unauthorized", replayed.body());
            assertEquals(null, handler.reported);

            RequestSignature.Signed old = new RequestSignature.Signer(SECRET, () -> System.currentTimeMillis() - 301_000)
                    .sign("GET", Protocol.STATUS_PATH, new byte[0]);
            assertEquals(401, send(signed(status, "GET", "", old)).statusCode(), "a request older than the window");
            java.net.http.HttpResponse<String> fresh = send(signed(status, "GET", "", signer.sign("GET", Protocol.STATUS_PATH, new byte[0])));
            assertEquals(200, fresh.statusCode());
            assertTrue(fresh.body().contains("application_1_0001"));
        }
    }

    @Test
    void anErrorInTheAmIsAnsweredAndReportedInsteadOfLeavingTheCallerWaiting() throws Exception {
        Handler handler = new Handler() {
            @Override
            public JobPreparation preparation() {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        try (AmEndpoint endpoint = new AmEndpoint("127.0.0.1", SECRET, handler, Protocol.newMapper())) {
            AmClient client = new AmClient(endpoint.address(), SECRET, Protocol.newMapper(), FAST);
            IOException failure = assertThrows(IOException.class, client::preparation);
            assertTrue(failure.getMessage().startsWith("AM answered HTTP 500: /v1/preparation failed: java.lang.OutOfMemoryError: Java heap space"),
                    failure.getMessage());
            assertTrue(handler.serveFailure instanceof OutOfMemoryError);
            assertEquals(false, client.heartbeat(new Protocol.Heartbeat("w1", "h", 7, 1, 0)).keepRunning());
        }
    }

    @Test
    void aCallToAnAmThatNeverAnswersEndsAfterItsTriesNamingTheAddress() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.net.URI address = java.net.URI.create("http://127.0.0.1:" + silent.getLocalPort());
            AmClient client = new AmClient(address, SECRET, Protocol.newMapper(), new YarnAppConfig.RpcSettings(500, 300, 3, 50));
            long started = System.nanoTime();
            IOException failure = assertThrows(AmClient.AmUnreachableException.class, client::status);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 3 * 300 && millis < 5_000, "3 tries of 300 ms and 50+100 ms pauses, took " + millis + " ms");
            assertTrue(failure.getMessage().startsWith("No answer from the ApplicationMaster after 3 tries (connect timeout 500 ms, read timeout 300 ms;"),
                    failure.getMessage());
            assertTrue(failure.getMessage().endsWith(address + "/v1/status"), failure.getMessage());
        }
    }

    @Test
    void aCallToAStoppedAmFailsFast() throws Exception {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        AmClient client = new AmClient(java.net.URI.create("http://127.0.0.1:" + port), SECRET, Protocol.newMapper(), FAST);
        long started = System.nanoTime();
        IOException failure = assertThrows(AmClient.AmUnreachableException.class,
                () -> client.next(new Protocol.WorkRequest("w1", "h")));
        assertTrue((System.nanoTime() - started) / 1_000_000 < 3_000);
        assertTrue(failure.getMessage().endsWith("http://127.0.0.1:" + port + "/v1/next"), failure.getMessage());
    }
}
