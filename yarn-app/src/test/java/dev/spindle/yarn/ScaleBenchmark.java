package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.spindle.io.commit.CommitInfo;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.StorageBlock;
import dev.spindle.io.store.SupportsDirectories;
import dev.spindle.io.store.SupportsRename;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code scripts/bench.sh scale}: how planning, dispatch and commit grow with a job's size, on
 * simulated inputs (no cluster). Each is measured at two sizes a factor of 10 apart, so a cost
 * that grows worse than linearly shows as a ratio above 10.
 *
 * <ul>
 *   <li>plan: listing and planning N files of 12.8 MB (10 per 128 MiB block) through the AM's own
 *       {@link JobCommit#listInputs()} and {@link JobCommit#plan}, over a listing simulator that
 *       answers as a NameNode would (sizes, one storage block on 3 of 1,000 hosts); the heap the
 *       files and blocks hold afterwards is the AM heap planning needs.
 *   <li>dispatch: the AM's real endpoint ({@link AmEndpoint} over {@link AmState} and
 *       {@link BlockScheduler}, requests signed) handing blocks to 1,000 simulated workers (each
 *       its own id and host), which report every block done at once; blocks per second.
 *   <li>commit: {@link PartCommitter#commitJob} promoting N parts and writing their manifest, on
 *       the in-memory store (the algorithm's cost, not a NameNode's rename latency).
 * </ul>
 */
public final class ScaleBenchmark {

    private static final long FILE_BYTES = 12_800_000L;
    private static final long BLOCK_BYTES = 128L << 20;
    private static final int HOSTS = 1_000;
    private static final int WORKERS = 1_000;
    private static final byte[] SECRET = "scale-benchmark-secret".getBytes(UTF_8);

    private ScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int files = quick ? 100_000 : 1_000_000;
        int parts = quick ? 10_000 : 100_000;

        Plan small = plan(files / 10);
        Plan large = plan(files);
        print("scale_plan_%s_files_s".formatted(label(files / 10)), small.seconds);
        print("scale_plan_%s_files_s".formatted(label(files)), large.seconds);
        print("scale_plan_blocks", large.blocks.size());
        print("scale_plan_heap_mb", large.heapBytes / 1e6);
        print("scale_plan_growth_x10", large.seconds / small.seconds);

        List<Block> dispatchBlocks = large.blocks;
        List<Block> fewer = dispatchBlocks.subList(0, dispatchBlocks.size() / 10);
        double fewRate = dispatch(reindexed(fewer));
        double rate = dispatch(dispatchBlocks);
        print("scale_dispatch_%s_blocks_per_s".formatted(label(fewer.size())), fewRate);
        print("scale_dispatch_blocks_per_s", rate);
        print("scale_dispatch_growth_x10", (dispatchBlocks.size() / rate) / (fewer.size() / fewRate));

        double commitSmall = commit(parts / 10);
        double commitLarge = commit(parts);
        print("scale_commit_%s_parts_s".formatted(label(parts / 10)), commitSmall);
        print("scale_commit_%s_parts_s".formatted(label(parts)), commitLarge);
        print("scale_commit_growth_x10", commitLarge / commitSmall);
    }

    private record Plan(double seconds, List<Block> blocks, long heapBytes) {}

    private static Plan plan(int fileCount) throws Exception {
        ListingSimulator store = new ListingSimulator(fileCount);
        JobSpec spec = JobSpec.builder("scale", ByteCopyTask.class).input("memory:/in").output("memory:/out")
                .blockSize(BLOCK_BYTES).task(new CopySpec("UTF-8", "")).build();
        JobCommit commit = new JobCommit(store, spec, "application_1_0001");
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        List<FileEntry> files = commit.listInputs();
        List<Block> blocks = commit.plan(new Configuration(false), files);
        double seconds = (System.nanoTime() - started) / 1e9;
        long heap = usedHeap() - heapBefore;
        if (files.size() != fileCount) {
            throw new IllegalStateException("listed " + files.size() + " of " + fileCount);
        }
        return new Plan(seconds, blocks, heap);
    }

    /** Blocks per second handed out and reported done through the AM's endpoint. */
    private static double dispatch(List<Block> blocks) throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        JobSpec spec = JobSpec.builder("scale", ByteCopyTask.class).input("memory:/in").output("memory:/out")
                .task(CopySpec.plain()).build();
        JobCommit commit = new JobCommit(store, spec, "application_1_0001");
        commit.setup();
        AmState state = new AmState("application_1_0001");
        BlockScheduler scheduler = new BlockScheduler(blocks, 3, (planned, results) -> Map.of(), System::currentTimeMillis,
                BlockScheduler.Speculation.off());
        scheduler.recover(Map.of(), Map.of());
        AmRecovery recovery = new AmRecovery(store, commit.stagingDirectory(), Protocol.newMapper());
        state.start(new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", CopySpec.plain()), scheduler, commit, recovery);
        AtomicLong done = new AtomicLong();
        YarnAppConfig.RpcSettings rpc = new YarnAppConfig.RpcSettings(5_000, 30_000, 3, 100);
        int threads = 64;
        try (AmEndpoint endpoint = new AmEndpoint("127.0.0.1", SECRET, state, Protocol.newMapper())) {
            List<AmClient> clients = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                clients.add(new AmClient(endpoint.address(), SECRET, Protocol.newMapper(), rpc));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    AmClient client = clients.get(thread % clients.size());
                    // this thread plays the workers thread, thread + 64, ... below 1,000
                    for (int worker = thread; ; worker = worker + threads >= WORKERS ? thread : worker + threads) {
                        String id = "container_1_0001_01_%06d".formatted(worker + 2);
                        String host = "host-%04d".formatted(worker % HOSTS);
                        Protocol.WorkResponse work = client.next(new Protocol.WorkRequest(id, host));
                        if (work.action() == Protocol.Action.EXIT) {
                            return null;
                        }
                        if (work.action() == Protocol.Action.WAIT) {
                            if (scheduler.isOver()) {
                                return null;
                            }
                            Thread.sleep(1);
                            continue;
                        }
                        long bytes = work.block().length();
                        BlockOutcome outcome = new BlockOutcome(1, 1, 0, 0, bytes,
                                work.block().ranges().stream().map(r -> new BlockOutcome.RangeOutcome(r.start(), r.end(), 1)).toList(),
                                work.partFileName());
                        client.report(new Protocol.AttemptReport(id, host, work.block().index(), work.attempt(), outcome, null, false));
                        done.incrementAndGet();
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdownNow();
            if (done.get() != blocks.size() || !scheduler.isOver()) {
                throw new IllegalStateException("dispatched " + done.get() + " of " + blocks.size() + " blocks");
            }
            return blocks.size() / seconds;
        }
    }

    /** Seconds to promote {@code count} parts and write the manifest. */
    private static double commit(int count) throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        PartCommitter committer = PartCommitter.builder().store(store).outputDirectory("memory:/out").jobId("application_1_0001").build();
        committer.setupJob();
        Map<Integer, Integer> winners = new HashMap<>();
        Map<Integer, Long> rows = new HashMap<>();
        for (int block = 0; block < count; block++) {
            try (OutputStream out = store.create(committer.attemptPartFile(block, 1, "avro"))) {
                out.write(new byte[] {1, 2, 3});
            }
            winners.put(block, 1);
            rows.put(block, 1L);
        }
        CommitInfo info = new CommitInfo("avro", "avro", "{\"type\":\"record\",\"name\":\"r\",\"fields\":[]}",
                new Manifest.Counters(count, count, 0, 0, 3L * count, count, 0, count), "application_1_0001", "bench", rows, Map.of());
        long started = System.nanoTime();
        Manifest manifest = committer.commitJob(winners, info);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (manifest.parts().size() != count) {
            throw new IllegalStateException("committed " + manifest.parts().size() + " of " + count);
        }
        return seconds;
    }

    private static List<Block> reindexed(List<Block> blocks) {
        List<Block> result = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            result.add(new Block(i, blocks.get(i).ranges(), blocks.get(i).hosts()));
        }
        return result;
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String label(int n) {
        return n >= 1_000_000 ? (n / 1_000_000) + "m" : (n / 1_000) + "k";
    }

    private static void print(String name, double value) {
        System.out.printf("bench %s %s%n", name, value >= 100 ? "%.0f".formatted(value) : "%.2f".formatted(value));
    }

    /**
     * Answers listings of {@code memory:/in} as a NameNode would for {@code files} files of 12.8 MB,
     * each one storage block on 3 of 1,000 hosts; everything else (the output and staging the
     * commit protocol sets up) goes to an in-memory store.
     */
    private static final class ListingSimulator implements FileStore, SupportsRename, SupportsDirectories {
        private final int files;
        private final InMemoryFileStore rest = FileStores.inMemory();

        ListingSimulator(int files) {
            this.files = files;
        }

        @Override
        public List<FileEntry> list(String pattern) throws IOException {
            if (!pattern.equals("memory:/in")) {
                return rest.list(pattern);
            }
            List<FileEntry> entries = new ArrayList<>(files);
            for (int i = 0; i < files; i++) {
                List<String> hosts = List.of("host-%04d".formatted(i % HOSTS), "host-%04d".formatted((i + 1) % HOSTS),
                        "host-%04d".formatted((i + 2) % HOSTS));
                entries.add(new FileEntry("memory:/in/part-%07d.csv".formatted(i), FILE_BYTES, BLOCK_BYTES,
                        List.of(new StorageBlock(0, FILE_BYTES, hosts))));
            }
            return entries;
        }

        @Override
        public SeekableInput open(String location) throws IOException {
            return rest.open(location);
        }

        @Override
        public OutputStream create(String location) throws IOException {
            return rest.create(location);
        }

        @Override
        public boolean exists(String location) throws IOException {
            return location.equals("memory:/in") || rest.exists(location);
        }

        @Override
        public void delete(String location) throws IOException {
            rest.delete(location);
        }

        @Override
        public void rename(String source, String target) throws IOException {
            rest.rename(source, target);
        }

        @Override
        public void createDirectories(String location) throws IOException {
            rest.createDirectories(location);
        }

        @Override
        public List<String> listChildren(String directory) throws IOException {
            return rest.listChildren(directory);
        }
    }
}
