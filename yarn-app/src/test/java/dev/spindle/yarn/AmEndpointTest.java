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

    private static final class Handler implements AmEndpoint.Handler {
        Protocol.AttemptReport reported;

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
            AmClient client = new AmClient(endpoint.address(), SECRET, Protocol.newMapper());
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
            AmClient client = new AmClient(endpoint.address(), SECRET, Protocol.newMapper());
            IOException failure = assertThrows(IOException.class, client::preparation);
            assertTrue(failure.getMessage().startsWith("AM answered HTTP 500: /v1/preparation failed: "
                    + "java.lang.IllegalStateException: The job is not prepared yet: http://127.0.0.1:"), failure.getMessage());
        }
    }

    @Test
    void refusesARequestWithoutTheJobSecret() throws Exception {
        try (AmEndpoint endpoint = new AmEndpoint("127.0.0.1", SECRET, new Handler(), Protocol.newMapper())) {
            AmClient stranger = new AmClient(endpoint.address(), "not the secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    Protocol.newMapper());
            IOException failure = assertThrows(IOException.class, stranger::status);
            assertTrue(failure.getMessage().startsWith("AM answered HTTP 403: Missing or wrong job secret"), failure.getMessage());
        }
    }
}
