package dev.spindle.yarn;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.spindle.io.split.Block;
import java.util.Map;

/** The JSON messages between workers, the driver and the AM's endpoint, and their mapper. */
final class Protocol {

    static final String NEXT_PATH = "/v1/next";
    static final String REPORT_PATH = "/v1/report";
    static final String STATUS_PATH = "/v1/status";
    static final String PREPARATION_PATH = "/v1/preparation";
    static final String HEARTBEAT_PATH = "/v1/heartbeat";

    private Protocol() {}

    /**
     * A worker asks for its next block.
     *
     * @param archivesAtExit the worker's JVM writes its node's class-data archive as it exits
     *     ({@code -XX:ArchiveClassesAtExit}): told EXIT, it is waited for before the application ends
     */
    record WorkRequest(String worker, String host, boolean archivesAtExit) {
        /** A worker that writes no class-data archive when it exits. */
        WorkRequest(String worker, String host) {
            this(worker, host, false);
        }
    }

    /** What a worker should do next. */
    record WorkResponse(
            Action action,
            Block block,
            int attempt,
            Map<Integer, Long> knownRecordStarts,
            String attemptDirectory,
            String partFileName,
            long waitMillis) {

        static WorkResponse waitFor(long millis) {
            return new WorkResponse(Action.WAIT, null, 0, Map.of(), null, null, millis);
        }

        static WorkResponse exit() {
            return new WorkResponse(Action.EXIT, null, 0, Map.of(), null, null, 0);
        }
    }

    /** RUN the given block, WAIT and ask again, or EXIT. */
    enum Action {
        RUN,
        WAIT,
        EXIT
    }

    /**
     * A worker reports one attempt: an outcome on success, an error otherwise; {@code badInput}
     * when the error is in the data ({@link BadInputException}), so retrying cannot help;
     * {@code storeRetries}: requests its store retried during the attempt (S3 throttling and such).
     */
    record AttemptReport(String worker, String host, int block, int attempt, BlockOutcome outcome, String error, boolean badInput,
            long storeRetries) {

        AttemptReport(String worker, String host, int block, int attempt, BlockOutcome outcome, String error, boolean badInput) {
            this(worker, host, block, attempt, outcome, error, badInput, 0);
        }

        AttemptReport withStoreRetries(long retries) {
            return new AttemptReport(worker, host, block, attempt, outcome, error, badInput, retries);
        }
    }

    /**
     * A worker's slot says it is alive: which attempt it runs ({@code block} -1 when idle) and its
     * progress, a number that must change while the attempt gets on (the bytes its JVM has read
     * and written so far, or, in a worker running several blocks at once, the CPU time of the
     * slot's thread).
     */
    record Heartbeat(String worker, String host, int block, int attempt, long progress) {}

    /** Whether the worker should go on with its attempt; false once the AM gave it up as stalled. */
    record HeartbeatResponse(boolean keepRunning) {}

    /** A JSON mapper for these messages; tolerant of fields added by newer versions. */
    static ObjectMapper newMapper() {
        return new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }
}
