package dev.spindle.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.commit.CommitInfo;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.commit.WriteMode;
import dev.spindle.io.store.SupportsPendingUploads;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Part files of task attempts are multipart uploads to their final keys, invisible until the
 * commit's rename completes them; deleting an attempt aborts its upload.
 */
class S3MagicCommitTest {

    @RegisterExtension
    static final S3Server SERVER = new S3Server();

    private static S3FileStore store;
    private static S3Client client;

    @BeforeAll
    static void start() {
        SERVER.createBucket("magic");
        Configuration conf = SERVER.configuration();
        conf.set(S3Config.WRITE_PART_SIZE, "5m");
        store = S3FileStore.create(conf);
        client = SERVER.client();
    }

    @AfterAll
    static void stop() {
        store.close();
        client.close();
    }

    @Test
    void aPartIsAnUploadToItsFinalKeyCompletedOnlyByTheCommitRename() throws IOException {
        String output = "s3://magic/job-a";
        String attempt1 = output + "/_temporary/application_1_0001/block-00000/attempt-1/part-00000.avro";
        String attempt2 = output + "/_temporary/application_1_0001/block-00000/attempt-2/part-00000.avro";
        byte[] first = bytes(1, (6 << 20) + 3);
        byte[] second = bytes(2, (7 << 20) + 5);
        write(attempt1, first);
        write(attempt2, second);

        assertTrue(store.exists(attempt1));
        assertTrue(store.exists(attempt2));
        assertFalse(store.exists(output + "/part-00000.avro"), "nothing under the final key before the commit");
        assertEquals(List.of("job-a/part-00000.avro", "job-a/part-00000.avro"), uploadKeys("job-a/"));
        assertThrows(FileNotFoundException.class, () -> store.list(output));
        IOException elsewhere = assertThrows(IOException.class, () -> store.rename(attempt2, output + "/other.avro"));
        assertEquals("A pending upload can only be promoted to its own key s3://magic/job-a/part-00000.avro, not to "
                + output + "/other.avro: " + attempt2, elsewhere.getMessage());

        store.rename(attempt2, output + "/part-00000.avro");

        assertFalse(store.exists(attempt2));
        assertEquals(second.length, store.list(output + "/part-00000.avro").get(0).length());
        assertArrayEquals(second, client.getObjectAsBytes(b -> b.bucket("magic").key("job-a/part-00000.avro")).asByteArray());
        assertEquals(1, uploadKeys("job-a/").size(), "the superseded attempt's upload is still pending");

        store.delete(output + "/_temporary");

        assertEquals(List.of(), uploadKeys("job-a/"), "deleting staging aborts the superseded upload");
        assertArrayEquals(second, client.getObjectAsBytes(b -> b.bucket("magic").key("job-a/part-00000.avro")).asByteArray());
    }

    @Test
    void deletingAPartOrAnAbortedJobsStagingAbortsItsUploadAndLeavesNoObject() throws IOException {
        String output = "s3://magic/job-b";
        String part = output + "/_temporary/application_1_0002/block-00003/attempt-1/part-00003.avro";
        String other = output + "/_temporary/application_1_0002/block-00004/attempt-1/part-00004.avro";
        write(part, "tiny".getBytes(UTF_8));
        write(other, bytes(3, 100));
        OutputStream unfinished = store.create(output + "/_temporary/application_1_0002/block-00005/attempt-1/part-00005.avro");
        unfinished.write(bytes(4, 1000));
        assertEquals(3, uploadKeys("job-b/").size());

        store.delete(part);
        assertFalse(store.exists(part));
        assertEquals(2, uploadKeys("job-b/").size());

        store.delete(output + "/_temporary/application_1_0002");

        assertEquals(List.of(), uploadKeys("job-b/"), "a writer that never closed is aborted too");
        assertEquals(List.of(), client.listObjectsV2(b -> b.bucket("magic").prefix("job-b/")).contents());
    }

    @Test
    void withMagicCommitOffAPartIsAPlainObjectInStaging() throws IOException {
        Configuration conf = SERVER.configuration();
        conf.setBoolean(S3Config.MAGIC_COMMIT, false);
        try (S3FileStore plain = S3FileStore.create(conf)) {
            String part = "s3://magic/job-c/_temporary/application_1_0003/block-00000/attempt-1/part-00000.avro";
            try (OutputStream out = plain.create(part)) {
                out.write(1);
            }
            assertEquals(1, plain.list(part).get(0).length());
            assertEquals(List.of(), uploadKeys("job-c/"));
        }
    }

    @Test
    void overwriteKeepsTheOldDatasetByteForByteUntilTheNewManifestThenLeavesOnlyTheNewParts() throws IOException {
        String output = "s3://magic/job-d";
        commit(committer(output, "application_1_0004", WriteMode.ERROR), 2, 6 << 20);
        Map<String, byte[]> old = objects("job-d/");
        assertEquals(List.of("job-d/_SUCCESS", "job-d/_schema.avsc", "job-d/part-00000.avro", "job-d/part-00001.avro"),
                List.copyOf(old.keySet()));

        PartCommitter failed = committer(output, "application_1_0005", WriteMode.OVERWRITE);
        failed.setupJob();
        write(failed.attemptPartFile(0, 1, "avro"), bytes(50, 100));
        write(failed.attemptPartFile(1, 1, "avro"), bytes(51, 100));
        failed.abortJob(); // a job that fails before its commit

        assertSameObjects(old, objects("job-d/"));
        assertEquals(List.of(), uploadKeys("job-d/"));

        PartCommitter overwrite = committer(output, "application_1_0006", WriteMode.OVERWRITE);
        overwrite.setupJob();
        byte[] fresh = bytes(60, 1000);
        write(overwrite.attemptPartFile(0, 1, "avro"), fresh);
        assertSameObjects(old, withoutStaging(objects("job-d/")));
        Manifest manifest = overwrite.commitJob(Map.of(0, 1), info(1, 10));

        assertEquals(List.of("job-d/_SUCCESS", "job-d/_schema.avsc", "job-d/part-00000-1_0006.avro"),
                List.copyOf(objects("job-d/").keySet()));
        assertArrayEquals(fresh, objects("job-d/").get("job-d/part-00000-1_0006.avro"));
        assertEquals(List.of(new Manifest.Part("part-00000-1_0006.avro", 10, 1000)), manifest.parts());
        assertEquals(List.of(), uploadKeys("job-d/"));
    }

    @Test
    void theNextCommitAbortsTheUploadsFailedAndKilledJobsLeftUnderItsOutput() throws Exception {
        String output = "s3://magic/job-e";
        String orphan = client.createMultipartUpload(b -> b.bucket("magic").key("job-e/part-00003.avro")).uploadId();
        PartCommitter killed = committer(output, "application_1_0007", WriteMode.ERROR);
        killed.setupJob();
        write(killed.attemptPartFile(0, 1, "avro"), bytes(70, 100));
        // the job dies here: neither committed nor aborted

        assertEquals(List.of("job-e/part-00000.avro", "job-e/part-00003.avro"), uploadKeys("job-e/"));
        assertEquals(List.of(), List.copyOf(withoutStaging(objects("job-e/")).keySet()), "nothing visible under the output");
        assertThrows(FileNotFoundException.class, () -> store.list(output));
        List<SupportsPendingUploads.Upload> pending = store.listPendingUploads(output);
        assertEquals(List.of(output + "/part-00000.avro", output + "/part-00003.avro"),
                pending.stream().map(SupportsPendingUploads.Upload::location).toList());
        assertEquals(orphan, pending.get(1).uploadId());

        PartCommitter next = committer(output, "application_1_0008", WriteMode.ERROR);
        next.setupJob();
        Thread.sleep(1100); // S3 dates uploads to the second: this one is surely after the next job started
        String later = client.createMultipartUpload(b -> b.bucket("magic").key("job-e/concurrent.avro")).uploadId();
        write(next.attemptPartFile(0, 1, "avro"), bytes(80, 200));
        next.commitJob(Map.of(0, 1), info(1, 3));

        assertEquals(List.of("job-e/concurrent.avro"), uploadKeys("job-e/"), "only the upload started after the job stays");
        assertEquals(later, store.listPendingUploads(output).get(0).uploadId());
        assertEquals(1, store.abortPendingUploads(output, Instant.now().plusSeconds(5)).size());
        assertEquals(List.of(), store.listPendingUploads(output));
        assertEquals(List.of("job-e/_SUCCESS", "job-e/_schema.avsc", "job-e/part-00000.avro"),
                List.copyOf(withoutStaging(objects("job-e/")).keySet()));
    }

    @Test
    void throttledUploadPartsAreRetriedAndCounted() throws IOException {
        try (S3FaultProxy proxy = S3FaultProxy.start(SERVER.endpoint())) {
            Configuration conf = SERVER.configuration();
            conf.set(S3Config.ENDPOINT, proxy.endpoint().toString());
            conf.set(S3Config.WRITE_PART_SIZE, "5m");
            conf.set(S3Config.RETRY_BASE_DELAY, "1ms");
            try (S3FileStore throttled = S3FileStore.create(conf)) {
                proxy.slowDownUploadParts(3);
                byte[] content = bytes(90, (11 << 20) + 7); // 3 parts
                try (OutputStream out = throttled.create("s3://magic/job-f/big.bin")) {
                    out.write(content);
                }

                assertEquals(3, proxy.injected());
                assertEquals(3, throttled.retries());
                assertArrayEquals(content, client.getObjectAsBytes(b -> b.bucket("magic").key("job-f/big.bin")).asByteArray());
            }
        }
    }

    private static PartCommitter committer(String output, String jobId, WriteMode mode) {
        return PartCommitter.builder().store(store).outputDirectory(output).jobId(jobId).writeMode(mode).build();
    }

    /** Sets up, writes one part of {@code size} bytes per block (attempt 1), commits. */
    private static void commit(PartCommitter committer, int blocks, int size) throws IOException {
        committer.setupJob();
        Map<Integer, Integer> winners = new TreeMap<>();
        for (int block = 0; block < blocks; block++) {
            write(committer.attemptPartFile(block, 1, "avro"), bytes(block, size));
            winners.put(block, 1);
        }
        committer.commitJob(winners, info(blocks, 10));
    }

    /** Every block wrote {@code rows} rows. */
    private static CommitInfo info(int blocks, long rows) {
        CommitInfo.Builder info = CommitInfo.builder().format("avro").extension("avro")
                .schemaJson("{\"type\":\"record\",\"name\":\"r\",\"fields\":[]}")
                .counters(new Manifest.Counters(blocks * rows, blocks * rows, 0, 0, 1, blocks, 0, blocks))
                .applicationId("application_1_0000").spindleVersion("0.1.0");
        for (int block = 0; block < blocks; block++) {
            info.blockRows(block, rows);
        }
        return info.build();
    }

    private static Map<String, byte[]> objects(String prefix) {
        Map<String, byte[]> objects = new TreeMap<>();
        client.listObjectsV2Paginator(b -> b.bucket("magic").prefix(prefix)).contents().forEach(object ->
                objects.put(object.key(), client.getObjectAsBytes(b -> b.bucket("magic").key(object.key())).asByteArray()));
        return objects;
    }

    private static Map<String, byte[]> withoutStaging(Map<String, byte[]> objects) {
        Map<String, byte[]> visible = new TreeMap<>(objects);
        visible.keySet().removeIf(key -> key.contains("/_temporary/") || key.endsWith("/_temporary"));
        return visible;
    }

    private static void assertSameObjects(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, byte[]> object : expected.entrySet()) {
            assertArrayEquals(object.getValue(), actual.get(object.getKey()), object.getKey());
        }
    }

    private static List<String> uploadKeys(String prefix) {
        List<String> keys = new ArrayList<>();
        for (MultipartUpload upload : client.listMultipartUploads(b -> b.bucket("magic").prefix(prefix)).uploads()) {
            keys.add(upload.key());
        }
        return keys;
    }

    private static byte[] bytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void write(String location, byte[] content) throws IOException {
        try (OutputStream out = store.create(location)) {
            out.write(content);
        }
    }
}
