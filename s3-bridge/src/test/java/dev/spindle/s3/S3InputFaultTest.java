package dev.spindle.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.SeekableInput;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reads through throttling, server errors and broken bodies stay exact, and every retry is counted. */
class S3InputFaultTest {

    @RegisterExtension
    static final S3Server SERVER = new S3Server();

    private static final byte[] CONTENT = new byte[(3 << 20) + 4321];
    private final FaultInjector faults = new FaultInjector();
    private S3FileStore store;

    @BeforeAll
    static void writeObject() throws IOException {
        SERVER.createBucket("faults");
        new Random(3).nextBytes(CONTENT);
        try (S3FileStore plain = S3FileStore.create(SERVER.configuration());
                OutputStream out = plain.create("s3://faults/in/object.bin")) {
            out.write(CONTENT);
        }
    }

    @BeforeEach
    void faultyStore() {
        Configuration conf = SERVER.configuration();
        conf.set(S3Config.READ_PART_SIZE, "256k");
        conf.set(S3Config.RETRY_ATTEMPTS, "4");
        conf.set(S3Config.RETRY_BASE_DELAY, "1ms");
        store = S3FileStore.create(conf, List.of(faults));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void throttlingServerErrorsAndBrokenBodiesAreRetriedFromTheByteReached() throws IOException {
        faults.queue(FaultInjector.Fault.SLOW_DOWN, FaultInjector.Fault.RESET_MID_BODY, FaultInjector.Fault.INTERNAL_ERROR,
                FaultInjector.Fault.TRUNCATED_BODY, FaultInjector.Fault.RESET_MID_BODY, FaultInjector.Fault.SLOW_DOWN);

        byte[] back = readSequentially();

        assertArrayEquals(CONTENT, back);
        assertTrue(faults.drained());
        assertEquals(6, faults.injected());
        assertEquals(6, store.retries());
    }

    @Test
    void aFaultOnEveryAttemptFailsNamingBucketKeyRangeAndCode() throws IOException {
        faults.always(FaultInjector.Fault.SLOW_DOWN);

        try (SeekableInput input = store.open("s3://faults/in/object.bin")) {
            IOException e = assertThrows(IOException.class, () -> input.readFully(300_000, new byte[10], 0, 10));
            assertEquals("Cannot read bytes 300000-562143 (failed at byte 300000): S3 error SlowDown (HTTP 503) after 4 attempts, "
                    + "bucket faults, key in/object.bin: s3://faults/in/object.bin", e.getMessage());
        }
        assertEquals(3, store.retries());
    }

    @Test
    void aConnectionResetOnEveryAttemptStillMakesProgressAndFinishes() throws IOException {
        faults.always(FaultInjector.Fault.RESET_MID_BODY);

        try (SeekableInput input = store.open("s3://faults/in/object.bin")) {
            byte[] some = new byte[5000];
            input.readFully(1 << 20, some, 0, some.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(CONTENT, 1 << 20, (1 << 20) + 5000), some);
            // a read waits for its own bytes only, not for the rest of the part
            assertTrue(store.retries() >= 4 && store.retries() <= 6, "5000 bytes, a reset every 1000: " + store.retries());

            byte[] more = new byte[300_000];
            input.readFully(2 << 20, more, 0, more.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(CONTENT, 2 << 20, (2 << 20) + more.length), more);
        }
        assertTrue(store.retries() > 300, "every 1000 bytes a reset, resumed from the byte reached: " + store.retries());
    }

    private byte[] readSequentially() throws IOException {
        byte[] back = new byte[CONTENT.length];
        try (SeekableInput input = store.open("s3://faults/in/object.bin")) {
            int chunk = 100_000;
            for (int position = 0; position < back.length; position += chunk) {
                input.readFully(position, back, position, Math.min(chunk, back.length - position));
            }
        }
        return back;
    }
}
