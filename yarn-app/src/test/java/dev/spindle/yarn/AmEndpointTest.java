package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void refusesARequestWithoutTheJobSecret() throws Exception {
        try (AmEndpoint endpoint = new AmEndpoint("127.0.0.1", SECRET, new Handler(), Protocol.newMapper())) {
            AmClient stranger = new AmClient(endpoint.address(), "not the secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    Protocol.newMapper(), FAST);
            IOException failure = assertThrows(IOException.class, stranger::status);
            assertTrue(failure.getMessage().startsWith("AM answered HTTP 403: Missing or wrong job secret"), failure.getMessage());
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
