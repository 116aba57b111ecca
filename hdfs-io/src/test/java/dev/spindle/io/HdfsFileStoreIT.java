package dev.spindle.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.spindle.io.commit.CommitInfo;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.split.BlockPlan;
import dev.spindle.io.split.BlockPlanner;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStoreContractTest;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.StorageBlock;
import dev.spindle.io.store.SupportsDirectories;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract, block locations and one commit on HDFS (MiniDFSCluster, two DataNodes). */
class HdfsFileStoreIT extends FileStoreContractTest {

    private static final int BLOCK_SIZE = 1024;
    private static final AtomicInteger TESTS = new AtomicInteger();

    @TempDir
    static Path clusterDirectory;

    private static MiniDFSCluster cluster;
    private static FileStore store;
    private static String filesystem;

    private final String root = "/test-" + TESTS.incrementAndGet();

    @BeforeAll
    static void startCluster() throws IOException {
        Configuration conf = new Configuration();
        conf.setLong("dfs.blocksize", BLOCK_SIZE);
        conf.setLong("dfs.namenode.fs-limits.min-block-size", 0);
        conf.setInt("dfs.replication", 2);
        File base = clusterDirectory.toFile();
        cluster = new MiniDFSCluster.Builder(conf, base)
                .numDataNodes(2)
                .hosts(new String[] {"localhost", "localhost"})
                .build();
        cluster.waitActive();
        filesystem = cluster.getFileSystem().getUri().toString();
        store = FileStores.hadoop(cluster.getFileSystem().getConf());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Override
    protected FileStore store() {
        return store;
    }

    @Override
    protected String root() {
        return filesystem + root;
    }

    @Test
    void reportsHdfsBlocksWithDeduplicatedHosts() throws IOException {
        write("big.csv", "x".repeat(2 * BLOCK_SIZE + 500));

        FileEntry entry = store.list(location("big.csv")).get(0);

        assertEquals(BLOCK_SIZE, entry.blockSize());
        assertEquals(List.of(
                new StorageBlock(0, BLOCK_SIZE, List.of("localhost")),
                new StorageBlock(BLOCK_SIZE, BLOCK_SIZE, List.of("localhost")),
                new StorageBlock(2 * BLOCK_SIZE, 500, List.of("localhost"))), entry.blocks());
        BlockPlan plan = BlockPlanner.builder().build().plan(List.of(entry));
        assertEquals(3, plan.blocks().size());
        assertEquals(List.of("localhost"), plan.blocks().get(2).hosts());
    }

    @Test
    void aPlainPathResolvesAgainstTheDefaultFileSystem() throws IOException {
        write("a.csv", "a");

        assertEquals(location("a.csv"), store.list(root + "/a.csv").get(0).location());
    }

    @Test
    void commitsAJob() throws IOException {
        PartCommitter committer = PartCommitter.builder().store(store).outputDirectory(location("out"))
                .jobId("application_1_0001").build();
        committer.setupJob();
        for (int block = 0; block < 3; block++) {
            try (OutputStream out = store.create(committer.attemptPartFile(block, 1, "avro"))) {
                out.write(("part " + block).getBytes(UTF_8));
            }
        }

        Manifest manifest = committer.commitJob(Map.of(0, 1, 1, 1, 2, 1), CommitInfo.builder()
                .format("avro").extension("avro").schemaJson("{\"type\":\"string\"}")
                .counters(new Manifest.Counters(3, 3, 0, 0, 30, 3, 0, 3))
                .applicationId("application_1_0001").spindleVersion("0.1.0")
                .blockRows(0, 1).blockRows(1, 1).blockRows(2, 1).build());

        assertEquals(List.of(location("out/_SUCCESS"), location("out/_schema.avsc"), location("out/part-00000.avro"),
                location("out/part-00001.avro"), location("out/part-00002.avro")),
                ((SupportsDirectories) store).listChildren(location("out")));
        assertEquals(List.of(new Manifest.Part("part-00000.avro", 1, 6), new Manifest.Part("part-00001.avro", 1, 6),
                new Manifest.Part("part-00002.avro", 1, 6)), manifest.parts());
        assertFalse(store.exists(location("out/_temporary")));
        assertEquals("part 1", read("out/part-00001.avro"));
    }
}
