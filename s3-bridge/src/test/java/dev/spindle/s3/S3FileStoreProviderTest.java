package dev.spindle.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** With s3-bridge on the class path, the store every command uses serves s3:// too. */
class S3FileStoreProviderTest {

    @RegisterExtension
    static final S3Server SERVER = new S3Server();

    @Test
    void fileStoresRouteS3LocationsHereAndTheRestToHadoop(@TempDir Path dir) throws IOException {
        SERVER.createBucket("routed");
        Configuration conf = new Configuration();
        SERVER.configure(conf);
        conf.set(S3Config.BLOCK_SIZE, "2m");
        FileStore store = FileStores.hadoop(conf);

        try (OutputStream out = store.create("s3://routed/in/a.csv")) {
            out.write("x\n1\n".getBytes(UTF_8));
        }
        Files.writeString(dir.resolve("b.csv"), "y\n");

        assertEquals(2 << 20, store.list("s3a://routed/in").get(0).blockSize());
        assertEquals(4, store.list("s3://routed/in/a.csv").get(0).length());
        assertEquals(1, store.list(dir.resolve("b.csv").toUri().toString()).size());
        assertFalse(FileStores.isHadoopLocation("s3://routed/in"));
        assertFalse(FileStores.isHadoopLocation("S3A://routed/in"));
        assertTrue(FileStores.isHadoopLocation("hdfs://nn:8020/in"));
        assertTrue(FileStores.isHadoopLocation("/tmp/in"));
        assertTrue(FileStores.isHadoopLocation("file:/tmp/in"));
    }
}
