package dev.spindle.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.StorageBlock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** What the contract does not say: S3 block ranges, multipart writes, pagination, error messages. */
class S3FileStoreTest {

    @RegisterExtension
    static final S3Server SERVER = new S3Server();

    private static S3FileStore store;

    @BeforeAll
    static void start() {
        SERVER.createBucket("data");
        Configuration conf = SERVER.configuration();
        conf.set(S3Config.BLOCK_SIZE, "1m");
        conf.set(S3Config.WRITE_PART_SIZE, "5m");
        conf.set(S3Config.READ_PART_SIZE, "256k");
        store = S3FileStore.create(conf);
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Test
    void objectsReportBlockSizeRangesWithoutHosts() throws IOException {
        write("s3://data/blocks/a.csv", new byte[(5 << 19) + 7]);

        FileEntry entry = store.list("s3://data/blocks/a.csv").get(0);

        assertEquals(1 << 20, entry.blockSize());
        assertEquals(List.of(new StorageBlock(0, 1 << 20, List.of()), new StorageBlock(1 << 20, 1 << 20, List.of()),
                new StorageBlock(2 << 20, (1 << 19) + 7, List.of())), entry.blocks());
    }

    @Test
    void aLargeObjectIsAMultipartUploadAndReadsBackExactly() throws Exception {
        byte[] content = new byte[(12 << 20) + 12345];
        new Random(7).nextBytes(content);
        write("s3://data/big/object.bin", content);

        try (S3Client client = SERVER.client()) {
            HeadObjectResponse head = client.headObject(b -> b.bucket("data").key("big/object.bin"));
            assertEquals(content.length, head.contentLength());
            assertTrue(head.eTag().contains("-3"), "a 3-part upload's ETag: " + head.eTag());
        }
        try (SeekableInput input = store.open("s3://data/big/object.bin")) {
            byte[] back = new byte[content.length];
            input.readFully(0, back, 0, back.length);
            assertArrayEquals(content, back);
            byte[] middle = new byte[1000];
            input.readFully(7 << 20, middle, 0, middle.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 7 << 20, (7 << 20) + 1000), middle);
        }
    }

    @Test
    void sequentialReadsKeepAtMostConcurrencySegments() throws Exception {
        byte[] content = new byte[3 << 20];
        new Random(8).nextBytes(content);
        write("s3://data/seq/object.bin", content);

        try (S3Input input = (S3Input) store.open("s3://data/seq/object.bin")) {
            byte[] chunk = new byte[64 << 10];
            int maxHeld = 0;
            for (long position = 0; position < content.length; position += chunk.length) {
                input.readFully(position, chunk, 0, chunk.length);
                assertArrayEquals(java.util.Arrays.copyOfRange(content, (int) position, (int) position + chunk.length), chunk);
                maxHeld = Math.max(maxHeld, input.segmentsHeld());
            }
            assertEquals(4, maxHeld, "read-ahead fills the window of spindle.s3.read.concurrency segments");
        }
    }

    @Test
    void listingPaginatesPastOneThousandObjects() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 1105; i++) {
                String key = "s3://data/many/part-%05d.csv".formatted(i);
                writes.add(pool.submit(() -> {
                    write(key, "x\n".getBytes(UTF_8));
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }

        List<FileEntry> entries = store.list("s3://data/many");

        assertEquals(1105, entries.size());
        assertEquals("s3://data/many/part-01104.csv", entries.get(1104).location());
        assertTrue(entries.stream().allMatch(entry -> entry.length() == 2));
        store.delete("s3://data/many");
        assertFalse(store.exists("s3://data/many"));
    }

    @Test
    void s3aIsAnAliasThatKeepsItsScheme() throws IOException {
        write("s3a://data/alias/a.csv", "a".getBytes(UTF_8));

        assertEquals("s3a://data/alias/a.csv", store.list("s3a://data/alias").get(0).location());
        assertEquals("s3://data/alias/a.csv", store.list("s3://data/alias/*.csv").get(0).location());
    }

    @Test
    void aMissingBucketIsNamedWithItsErrorCode() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> store.list("s3://no-such-bucket/in"));
        assertEquals("Cannot list objects: S3 error NoSuchBucket (HTTP 404), bucket no-such-bucket, key in/: s3://no-such-bucket/in/",
                e.getMessage());
    }

    @Test
    void wrongKeysFailNamingTheBucketAndTheCodeWithoutTheKeys() throws IOException {
        write("s3://data/secret/a.csv", "a".getBytes(UTF_8));
        Configuration conf = SERVER.configuration();
        conf.set(S3Config.SECRET_KEY, "not-the-secret");
        try (S3FileStore wrong = S3FileStore.create(conf)) {
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> wrong.list("s3://data/secret"));
            assertTrue(e.getMessage().matches("Cannot list a prefix: S3 error (AccessDenied|SignatureDoesNotMatch) \\(HTTP 403\\), "
                    + "bucket data, key secret: s3://data/secret"), e.getMessage());
            assertFalse(e.getMessage().contains("not-the-secret"));
            assertEquals(0, wrong.retries(), "a 403 is not retried");
        }
    }

    private static void write(String location, byte[] content) throws IOException {
        try (OutputStream out = store.create(location)) {
            out.write(content);
        }
    }
}
