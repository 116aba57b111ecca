package dev.spindle.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.commit.CommitInfo;
import dev.spindle.io.commit.ConcurrentCommitException;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.commit.WriteMode;
import dev.spindle.io.store.SeekableInput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Creates on S3 are exclusive at the write ({@code If-None-Match: *}), against a real S3Proxy:
 * of two writers that both passed the existence check, the one that writes second fails and
 * leaves the first one's object as it was; which makes the commit lock exclusive on S3.
 */
class S3ExclusiveCreateTest {

    @RegisterExtension
    static final S3Server SERVER = new S3Server();

    private static final LoseResponses LOSE = new LoseResponses();
    private static S3FileStore store;
    private static final AtomicInteger KEYS = new AtomicInteger();

    @BeforeAll
    static void start() {
        SERVER.createBucket("exclusive");
        Configuration conf = SERVER.configuration();
        conf.set(S3Config.WRITE_PART_SIZE, "5m");
        conf.set(S3Config.RETRY_BASE_DELAY, "1ms");
        store = S3FileStore.create(conf, List.of(LOSE));
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    private static String key() {
        return "s3://exclusive/k" + KEYS.incrementAndGet();
    }

    @Test
    void ofTwoWritersOfOneSmallObjectTheSecondToCloseFailsAndTheFirstsBytesStay() throws IOException {
        String location = key();
        OutputStream first = store.create(location);
        OutputStream second = store.create(location); // both passed the existence check
        first.write("first".getBytes(UTF_8));
        second.write("second".getBytes(UTF_8));
        first.close();

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, second::close);
        assertTrue(e.getMessage().contains(location), e.getMessage());
        assertEquals("first", read(location));
    }

    @Test
    void ofTwoWritersOfOneMultipartObjectTheSecondToCloseFailsAndItsUploadIsAborted() throws IOException {
        String location = key();
        byte[] big = new byte[(6 << 20) + 17];
        new Random(3).nextBytes(big);
        OutputStream first = store.create(location);
        OutputStream second = store.create(location);
        first.write(big);
        second.write(new byte[(6 << 20) + 1]);
        first.close();

        assertThrows(FileAlreadyExistsException.class, second::close);
        try (SeekableInput input = store.open(location)) {
            byte[] back = new byte[(int) input.length()];
            input.readFully(0, back, 0, back.length);
            assertArrayEquals(big, back);
        }
        String key = location.substring("s3://exclusive/".length());
        try (var client = SERVER.client()) {
            assertTrue(client.listMultipartUploads(b -> b.bucket("exclusive")).uploads().stream().noneMatch(u -> u.key().equals(key)),
                    "the losing writer's upload was aborted");
        }
    }

    @Test
    void aPutWhoseResponseWasLostIsRetriedAndTheRetrysPreconditionFailureIsRecognizedAsItsOwnObject() throws IOException {
        String location = key();
        LOSE.losePuts.set(1);
        try (OutputStream out = store.create(location)) {
            out.write("mine".getBytes(UTF_8));
        }
        assertEquals(0, LOSE.losePuts.get(), "the response was lost once");
        assertEquals("mine", read(location));
    }

    @Test
    void aCompletionWhoseResponseWasLostIsRecognizedByItsMultipartETag() throws IOException {
        String location = key();
        byte[] big = new byte[(5 << 20) + 5];
        new Random(5).nextBytes(big);
        LOSE.loseCompletions.set(1);
        try (OutputStream out = store.create(location)) {
            out.write(big);
        }
        assertEquals(0, LOSE.loseCompletions.get(), "the response was lost once");
        assertEquals(big.length, store.list(location).get(0).length());
    }

    @Test
    void aPutThatLostToAnotherWriterAfterARetryStillFails() throws IOException {
        String location = key();
        OutputStream mine = store.create(location);
        mine.write("mine".getBytes(UTF_8));
        try (OutputStream other = store.create(location)) {
            other.write("other".getBytes(UTF_8));
        }
        LOSE.failPutsBeforeSending.set(1); // the first try fails as a 500 without reaching the key
        assertThrows(FileAlreadyExistsException.class, mine::close);
        assertEquals("other", read(location));
    }

    @Test
    void theMultipartETagIsTheMd5OfThePartsMd5s() {
        // two parts of known MD5s, md5("") and md5("a"); the expected value computed apart, with Python's hashlib
        List<CompletedPart> parts = List.of(CompletedPart.builder().partNumber(1).eTag("\"d41d8cd98f00b204e9800998ecf8427e\"").build(),
                CompletedPart.builder().partNumber(2).eTag("0cc175b9c0f1b6a831c399e269772661").build());
        assertEquals("68083ea43d0307eecfa2b4749f19df15-2", S3Output.multipartETag(parts));
        assertEquals("", S3Output.multipartETag(List.of(CompletedPart.builder().partNumber(1).eTag("not-hex").build())));
    }

    @Test
    void aCommitterWhoseLockLandsSecondFailsNamingTheHolderAndLeavesItsLock() throws Exception {
        String output = "s3://exclusive/dataset" + KEYS.incrementAndGet();
        String job = "application_1795225647249_0002";
        PartCommitter committer = PartCommitter.builder().store(store).outputDirectory(output).jobId(job)
                .writeMode(WriteMode.OVERWRITE).build();
        committer.setupJob();
        try (OutputStream part = store.create(committer.attemptPartFile(0, 1, "avro"))) {
            part.write("rows".getBytes(UTF_8));
        }
        // the race the conditional write closes: this job saw no lock, then another job's lock
        // lands between that check and this job's PUT of its own
        String holder = "application_1795225647249_0001";
        LOSE.beforeLockPut = () -> {
            try (var client = SERVER.client()) {
                client.putObject(b -> b.bucket("exclusive").key(output.substring("s3://exclusive/".length()) + "/" + PartCommitter.COMMIT_LOCK),
                        software.amazon.awssdk.core.sync.RequestBody.fromString(holder));
            }
        };
        try {
            ConcurrentCommitException e = assertThrows(ConcurrentCommitException.class, () -> committer.commitJob(Map.of(0, 1),
                    CommitInfo.builder().format("avro").extension("avro").schemaJson("{\"type\":\"string\"}")
                            .counters(new Manifest.Counters(1, 1, 0, 0, 4, 1, 0, 1)).applicationId(job).spindleVersion("0.1.0")
                            .blockRows(0, 1).build()));
            assertTrue(e.getMessage().contains(holder), e.getMessage());
        } finally {
            LOSE.beforeLockPut = null;
        }
        assertEquals(holder, read(output + "/" + PartCommitter.COMMIT_LOCK), "the other job's lock is left as it was");
        assertFalse(store.exists(output + "/_SUCCESS"));
        assertFalse(store.exists(output + "/" + PartCommitter.partFileName(0, "avro")));
    }

    private static String read(String location) throws IOException {
        try (SeekableInput input = store.open(location)) {
            byte[] bytes = new byte[(int) input.length()];
            input.readFully(0, bytes, 0, bytes.length);
            return new String(bytes, UTF_8);
        }
    }

    /**
     * Loses the response of a write that landed (turned into a 500 after the server stored the
     * object, as a connection dropped on the way back would), or fails a PUT before it is sent.
     */
    static final class LoseResponses implements ExecutionInterceptor {
        final AtomicInteger losePuts = new AtomicInteger();
        final AtomicInteger loseCompletions = new AtomicInteger();
        final AtomicInteger failPutsBeforeSending = new AtomicInteger();

        /** Run before the PUT of a commit lock is sent (another job's lock landing first). */
        volatile Runnable beforeLockPut;

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            Runnable hook = beforeLockPut;
            if (hook != null && context.request() instanceof PutObjectRequest put && put.key().endsWith(PartCommitter.COMMIT_LOCK)) {
                hook.run();
            }
        }

        @Override
        public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest && failPutsBeforeSending.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                // port 1 refuses the connection: a transient failure, and the PUT never reached the server
                return context.httpRequest().toBuilder().port(1).build();
            }
            return context.httpRequest();
        }

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            SdkHttpResponse response = context.httpResponse();
            if (!response.isSuccessful()) {
                return response;
            }
            AtomicInteger budget = context.request() instanceof PutObjectRequest ? losePuts
                    : context.request() instanceof CompleteMultipartUploadRequest ? loseCompletions : null;
            if (budget != null && budget.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return response.toBuilder().statusCode(500).statusText("Internal Server Error").removeHeader("Content-Length").build();
            }
            return response;
        }
    }
}
