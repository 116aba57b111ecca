package dev.spindle.s3;

import dev.spindle.io.store.SeekableInput;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One reader of one object against a loopback S3Proxy (filesystem backend): one GET stream ({@code s3_read_single}),
 * the store's read-ahead input read sequentially in 1 MiB reads as a block reader does
 * ({@code s3_read_parallel}), and a plain download in 4 parallel ranged GETs, the server's
 * ceiling here ({@code s3_read_ceiling}); MB/s, each the best of 3 runs. The ways of reading
 * alternate, round after round: 3 rounds to warm up, then the 3 measured, so that none is
 * measured on a JIT warmed up by the others (the server runs in this JVM, and the more GETs a
 * way makes, the longer the JIT keeps compiling the server's request path). All use an HTTP
 * client built as the store's (the same connection pool, timeouts and checksum settings), so
 * they differ only in how they read.
 *
 * <p>With {@code --link-mb-per-s N} every connection goes through a {@link ShapedLink} that
 * carries at most N MB/s toward the client, as a real object store's connections do, and the
 * lines are named {@code s3_read_shaped_*}: there one GET stream is bounded by its connection,
 * not by the loopback server's CPU, which is the case the read-ahead is for.
 *
 * <pre>java -cp ... dev.spindle.s3.S3ReadBench [--mib 512] [--part-size SIZE] [--concurrency N] [--warmup 3] [--rounds 3] [--link-mb-per-s N]</pre>
 */
public final class S3ReadBench {

    private S3ReadBench() {}

    public static void main(String[] args) throws Exception {
        int mib = 512;
        String partSize = null;
        String concurrency = null;
        int warmup = 3;
        int rounds = 3;
        long linkMbPerSecond = 0;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--mib" -> mib = Integer.parseInt(args[i + 1]);
                case "--part-size" -> partSize = args[i + 1];
                case "--concurrency" -> concurrency = args[i + 1];
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--link-mb-per-s" -> linkMbPerSecond = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (--mib N, --part-size SIZE, --concurrency N, --warmup N, --rounds N, --link-mb-per-s N)");
            }
        }
        long size = (long) mib << 20;
        // the filesystem backend serves a range from the file; the in-memory one copies the whole
        // object for every GET, which would make each ranged GET cost as much as the object
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("s3-read-bench");
        java.util.Properties backend = new java.util.Properties();
        backend.setProperty("jclouds.filesystem.basedir", dir.toString());
        try {
            run(backend, size, partSize, concurrency, warmup, rounds, linkMbPerSecond);
        } finally {
            // the object (--mib of it) is not left behind in the temporary directory
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
                for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    java.nio.file.Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void run(java.util.Properties backend, long size, String partSize, String concurrency,
            int warmup, int rounds, long linkMbPerSecond) throws Exception {
        try (S3Server server = new S3Server("filesystem", backend, 0).start();
                ShapedLink link = linkMbPerSecond > 0 ? ShapedLink.start(server.endpoint(), linkMbPerSecond * 1_000_000) : null) {
            server.createBucket("bench");
            Configuration conf = server.configuration();
            String name = "s3_read_";
            if (link != null) {
                conf.set(S3Config.ENDPOINT, link.endpoint().toString());
                name = "s3_read_shaped_";
            }
            if (partSize != null) {
                conf.set(S3Config.READ_PART_SIZE, partSize);
            }
            if (concurrency != null) {
                conf.set(S3Config.READ_CONCURRENCY, concurrency);
            }
            try (S3FileStore store = S3FileStore.create(conf);
                    S3Client client = S3Clients.create(store.config("bench"), List.of())) {
                byte[] chunk = new byte[1 << 20];
                new Random(1).nextBytes(chunk);
                try (OutputStream out = store.create("s3://bench/object.bin")) {
                    for (long written = 0; written < size; written += chunk.length) {
                        out.write(chunk);
                    }
                }
                S3Config config = store.config("bench");
                Map<String, Run> runs = new LinkedHashMap<>();
                runs.put("single", () -> single(client, size));
                runs.put("parallel", () -> parallel(store, size));
                runs.put("ceiling", () -> ceiling(client, size, 4));
                runs.put("ranged", () -> ranged(client, size, 8 << 20, null));
                Map<String, Double> best = best(runs, warmup, rounds);
                double single = best.get("single");
                double parallel = best.get("parallel");
                double ceiling = best.get("ceiling");
                System.out.printf("# part size %s bytes, %s in flight, %s rounds after %s to warm up%n", config.readPartSize(),
                        config.readConcurrency(), rounds, warmup);
                if (link != null) {
                    System.out.printf("bench %slink_mb_per_s %d%n", name, linkMbPerSecond);
                }
                System.out.printf("bench %sranged_8m %.0f%n", name, best.get("ranged"));
                System.out.printf("bench %ssingle %.0f%n", name, single);
                System.out.printf("bench %sparallel %.0f%n", name, parallel);
                System.out.printf("bench %sparallel_vs_single %.2f%n", name, parallel / single);
                System.out.printf("bench %sceiling %.0f%n", name, ceiling);
                System.out.printf("bench %sparallel_vs_ceiling %.2f%n", name, parallel / ceiling);
            }
        }
    }

    @FunctionalInterface
    private interface Run {
        long bytes() throws Exception;
    }

    /** MB/s of each way of reading: the best of {@code rounds} rounds that alternate them, after {@code warmup} such rounds. */
    private static Map<String, Double> best(Map<String, Run> runs, int warmup, int rounds) throws Exception {
        for (int i = 0; i < warmup; i++) {
            for (Run run : runs.values()) {
                run.bytes();
            }
        }
        Map<String, Double> best = new LinkedHashMap<>();
        for (int i = 0; i < rounds; i++) {
            for (Map.Entry<String, Run> run : runs.entrySet()) {
                long start = System.nanoTime();
                long bytes = run.getValue().bytes();
                double seconds = (System.nanoTime() - start) / 1e9;
                best.merge(run.getKey(), bytes / 1e6 / seconds, Math::max);
            }
        }
        return best;
    }

    private static long single(S3Client client, long size) throws Exception {
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        try (InputStream in = client.getObject(b -> b.bucket("bench").key("object.bin"))) {
            for (int n; (n = in.read(buffer)) > 0;) {
                total += n;
            }
        }
        check(total, size);
        return total;
    }

    private static long parallel(S3FileStore store, long size) throws Exception {
        byte[] buffer = new byte[1 << 20];
        try (SeekableInput input = store.open("s3://bench/object.bin")) {
            for (long position = 0; position < size; position += buffer.length) {
                input.readFully(position, buffer, 0, (int) Math.min(buffer.length, size - position));
            }
        }
        return size;
    }

    private static long ceiling(S3Client client, long size, int streams) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            long share = size / streams;
            for (int i = 0; i < streams; i++) {
                long from = i * share;
                long to = i == streams - 1 ? size - 1 : from + share - 1;
                parts.add(pool.submit(() -> {
                    byte[] buffer = new byte[1 << 20];
                    long total = 0;
                    try (InputStream in = client.getObject(b -> b.bucket("bench").key("object.bin").range("bytes=" + from + "-" + to))) {
                        for (int n; (n = in.read(buffer)) > 0;) {
                            total += n;
                        }
                    }
                    return total;
                }));
            }
            long total = 0;
            for (Future<Long> part : parts) {
                total += part.get();
            }
            check(total, size);
            return total;
        } finally {
            pool.shutdown();
        }
    }

    /** Sequential ranged GETs of one size with a plain client, one at a time. */
    private static long ranged(S3Client client, long size, int range, String eTag) throws Exception {
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        for (long from = 0; from < size; from += range) {
            long to = Math.min(size, from + range) - 1;
            long start = from;
            try (InputStream in = client.getObject(b -> b.bucket("bench").key("object.bin").range("bytes=" + start + "-" + to)
                    .ifMatch(eTag))) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    total += n;
                }
            }
        }
        check(total, size);
        return total;
    }

    private static void check(long read, long size) {
        if (read != size) {
            throw new IllegalStateException("Read " + read + " bytes of " + size);
        }
    }
}
