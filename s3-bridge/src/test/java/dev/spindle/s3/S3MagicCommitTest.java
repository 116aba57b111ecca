package dev.spindle.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
