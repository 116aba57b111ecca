package dev.spindle.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The read-ahead's bytes are readable as they arrive, a failure in a part partly read resumes
 * from the byte reached or fails past the bytes received, and part buffers are reused.
 */
class S3InputReadAheadTest {

    @RegisterExtension
    static final S3Server SERVER = new S3Server();

    /** A part size no other test uses, so that the shared pool's count is this test's. */
    private static final int PART = (1 << 20) + (8 << 10);
    private static final byte[] CONTENT = new byte[6 * PART + 12345];
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    private final FaultInjector faults = new FaultInjector();
    private S3FileStore store;

    @BeforeAll
    static void writeObject() throws IOException {
        SERVER.createBucket("ahead");
        new Random(11).nextBytes(CONTENT);
        try (S3FileStore plain = S3FileStore.create(SERVER.configuration());
                OutputStream out = plain.create("s3://ahead/object.bin")) {
            out.write(CONTENT);
        }
    }

    @BeforeEach
    void store() {
        Configuration conf = SERVER.configuration();
        conf.set(S3Config.READ_PART_SIZE, String.valueOf(PART));
        conf.set(S3Config.READ_CONCURRENCY, "4");
        conf.set(S3Config.RETRY_ATTEMPTS, "3");
        conf.set(S3Config.RETRY_BASE_DELAY, "1ms");
        store = S3FileStore.create(conf, List.of(faults));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aReadReturnsTheBytesThatArrivedWhileTheRestOfItsPartIsStillOnTheWay() throws Exception {
        FaultInjector.Gate gate = faults.hold(100_000, false);
        try (S3Input input = (S3Input) store.open("s3://ahead/object.bin")) {
            byte[] head = new byte[50_000];
            assertTimeoutPreemptively(PROMPTLY, () -> input.readFully(0, head, 0, head.length),
                    "a read that waited for the whole part would wait for the held body");
            assertArrayEquals(Arrays.copyOfRange(CONTENT, 0, 50_000), head);
            assertEquals(1, input.fetchesRunning(), "the part is still arriving");

            byte[] next = new byte[50_000];
            assertEquals(50_000, assertTimeoutPreemptively(PROMPTLY, () -> input.read(50_000, next, 0, next.length)));
            assertArrayEquals(Arrays.copyOfRange(CONTENT, 50_000, 100_000), next);

            gate.release();
            byte[] rest = new byte[CONTENT.length - 100_000];
            input.readFully(100_000, rest, 0, rest.length);
            assertArrayEquals(Arrays.copyOfRange(CONTENT, 100_000, CONTENT.length), rest);
        } finally {
            gate.release();
        }
        assertEquals(0, store.retries());
    }

    @Test
    void aResetInAPartAlreadyPartlyReadResumesFromTheByteReached() throws Exception {
        FaultInjector.Gate gate = faults.hold(300_000, true);
        try (S3Input input = (S3Input) store.open("s3://ahead/object.bin")) {
            byte[] head = new byte[200_000];
            assertTimeoutPreemptively(PROMPTLY, () -> input.readFully(0, head, 0, head.length));
            gate.awaitReached();

            gate.release();
            byte[] back = readSequentially(input, 200_000, 64 << 10);
            assertArrayEquals(Arrays.copyOfRange(CONTENT, 200_000, CONTENT.length), back);
        } finally {
            gate.release();
        }
        assertEquals(1, store.retries());
        List<String> ranges = faults.ranges();
        assertTrue(ranges.contains("bytes=300000-" + (PART - 1)), "resumed at the byte reached: " + ranges);
        assertEquals(1, ranges.stream().filter(range -> range.startsWith("bytes=0-")).count(), "never again from 0: " + ranges);
    }

    @Test
    void bytesReceivedBeforeAFailureStayReadableAndAReadPastThemNamesTheByteReached() throws Exception {
        FaultInjector.Gate gate = faults.hold(300_000, true);
        try (S3Input input = (S3Input) store.open("s3://ahead/object.bin")) {
            byte[] head = new byte[100_000];
            input.readFully(0, head, 0, head.length);
            gate.awaitReached();
            faults.always(FaultInjector.Fault.SLOW_DOWN);
            gate.release();
            // the GET ends failed (3 attempts) without a reader waiting for it
            long deadline = System.nanoTime() + PROMPTLY.toNanos();
            while (input.fetchesRunning() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, input.fetchesRunning());

            byte[] received = new byte[100_000];
            input.readFully(150_000, received, 0, received.length);
            assertArrayEquals(Arrays.copyOfRange(CONTENT, 150_000, 250_000), received);

            IOException e = assertThrows(IOException.class, () -> input.readFully(250_000, new byte[100_000], 0, 100_000));
            assertEquals("Cannot read bytes 0-" + (PART - 1) + " (failed at byte 300000): S3 error SlowDown (HTTP 503) after 3 attempts, "
                    + "bucket ahead, key object.bin: s3://ahead/object.bin", e.getMessage());
        } finally {
            gate.release();
            faults.always(null);
        }
    }

    @Test
    void aReadElsewhereDropsTheWindowWithoutWaitingForItsGets() throws Exception {
        FaultInjector.Gate gate = faults.hold(1000, false);
        try (S3Input input = (S3Input) store.open("s3://ahead/object.bin")) {
            byte[] some = new byte[10];
            input.readFully(0, some, 0, some.length);

            byte[] far = new byte[5000];
            assertTimeoutPreemptively(PROMPTLY, () -> input.readFully(5L * PART, far, 0, far.length));
            assertArrayEquals(Arrays.copyOfRange(CONTENT, 5 * PART, 5 * PART + 5000), far);
            assertEquals(1, input.segmentsHeld(), "a new window at the read, the held GET aborted");
        } finally {
            gate.release();
        }
    }

    @Test
    void partBuffersAreReusedFromPartToPartAndFromInputToInput() throws Exception {
        long before = S3Input.BUFFERS.allocations();
        for (int round = 0; round < 3; round++) {
            try (S3Input input = (S3Input) store.open("s3://ahead/object.bin")) {
                assertArrayEquals(CONTENT, readSequentially(input, 0, 64 << 10));
            }
        }
        long allocated = S3Input.BUFFERS.allocations() - before;
        assertTrue(allocated >= 1 && allocated <= 4 + 1,
                "7 parts read 3 times with 4 in flight: the first input's window allocates, the others reuse: " + allocated);
    }

    @Test
    void anObjectReplacedWhileReadFailsInsteadOfMixingVersions() throws Exception {
        byte[] other = new byte[CONTENT.length];
        new Random(12).nextBytes(other);
        try (S3Client client = SERVER.client()) {
            client.putObject(b -> b.bucket("ahead").key("replaced.bin"), RequestBody.fromBytes(CONTENT));
            try (S3Input input = (S3Input) store.open("s3://ahead/replaced.bin")) {
                byte[] head = new byte[1000];
                input.readFully(0, head, 0, head.length);
                client.putObject(b -> b.bucket("ahead").key("replaced.bin"), RequestBody.fromBytes(other));

                IOException e = assertThrows(IOException.class, () -> input.readFully(4L * PART, new byte[1000], 0, 1000));
                assertTrue(e.getMessage().startsWith("Object changed while it was read (ETag "), e.getMessage());
                assertTrue(e.getMessage().endsWith("bucket ahead, key replaced.bin: s3://ahead/replaced.bin"), e.getMessage());
            }
        }
        assertEquals(0, store.retries(), "a changed object is not retried");
    }

    private static byte[] readSequentially(S3Input input, long from, int chunk) throws IOException {
        byte[] back = new byte[(int) (CONTENT.length - from)];
        for (int done = 0; done < back.length; done += chunk) {
            input.readFully(from + done, back, done, Math.min(chunk, back.length - done));
        }
        return back;
    }
}
