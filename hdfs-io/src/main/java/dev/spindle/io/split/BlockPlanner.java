package dev.spindle.io.split;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.StorageBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Cuts input files into {@link Block}s, the units of work of a job.
 *
 * <ul>
 *   <li>A splittable file is cut at multiples of the block size (the file's storage block size,
 *       or the size given to {@link Builder#blockSize}): one block per range.
 *   <li>Files smaller than the block size are packed whole into shared blocks of at most the
 *       block size, files whose bytes live on the same host next to each other, so many small
 *       files do not mean many tasks. A file of the block size or larger is never packed.
 *   <li>A compressed file (gzip, deflate, zstd, bzip2: found by extension through Hadoop's
 *       {@link CompressionCodecFactory}, see {@link InputCodecs}) is one block of its own, read
 *       whole. bzip2 could be split, but {@link RecordRangeReader} does not split it yet.
 *   <li>With {@link Builder#encodings}, a file in UTF-16 or UTF-32 (declared, or named by its byte
 *       order mark: see {@link InputEncodings}) that would be cut is one block of its own, read
 *       whole and transcoded; smaller files are whole ranges anyway. When detecting, this reads
 *       the first 4 bytes of every uncompressed file larger than the block size.
 *   <li>Empty files get no block; {@link BlockPlan#emptyFiles()} lists them.
 *   <li>Each block prefers the hosts holding its bytes, most bytes first.
 *   <li>Blocks are indexed from 0 in order of their first range (location, then offset); the
 *       same files give the same plan whatever their order.
 * </ul>
 */
public final class BlockPlanner {

    private final long blockSize;
    private final Predicate<String> splittable;
    private final InputEncodings encodings;
    private final FileStore store;

    private BlockPlanner(Builder builder) {
        this.blockSize = builder.blockSize;
        this.splittable = builder.splittable;
        this.encodings = builder.encodings;
        this.store = builder.store;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Plans blocks over files, typically from {@link FileStore#list}. A location listed twice is
     * planned once.
     *
     * @throws UncheckedIOException when {@link Builder#encodings} must read a file's first bytes
     *     and cannot; the message names the file
     */
    public BlockPlan plan(List<FileEntry> files) {
        Map<String, FileEntry> byLocation = new LinkedHashMap<>();
        files.stream()
                .sorted(Comparator.comparing(FileEntry::location))
                .forEach(file -> byLocation.putIfAbsent(file.location(), file));

        List<List<BlockRange>> groups = new ArrayList<>();
        List<FileEntry> small = new ArrayList<>();
        List<String> emptyFiles = new ArrayList<>();
        for (FileEntry file : byLocation.values()) {
            long target = targetSize(file);
            if (file.length() == 0) {
                emptyFiles.add(file.location());
            } else if (!splittable.test(file.location()) || (file.length() > target && readWhole(file))) {
                groups.add(List.of(new BlockRange(file.location(), 0, file.length(), file.length(), false)));
            } else if (file.length() < target) {
                small.add(file);
            } else {
                for (long start = 0; start < file.length(); start += target) {
                    long end = Math.min(file.length(), start + target);
                    groups.add(List.of(new BlockRange(file.location(), start, end, file.length(), true)));
                }
            }
        }
        groups.addAll(pack(small));

        groups.sort(Comparator.comparing((List<BlockRange> group) -> group.get(0).location())
                .thenComparingLong(group -> group.get(0).start()));
        List<Block> blocks = new ArrayList<>(groups.size());
        for (List<BlockRange> group : groups) {
            blocks.add(new Block(blocks.size(), group, hostsOf(group, byLocation)));
        }
        return new BlockPlan(blocks, emptyFiles);
    }

    private boolean readWhole(FileEntry file) {
        if (encodings == null) {
            return false;
        }
        try {
            return encodings.readWhole(store, file.location());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the first bytes of a file to detect its encoding: " + file.location(), e);
        }
    }

    private long targetSize(FileEntry file) {
        return blockSize > 0 ? blockSize : file.blockSize();
    }

    /**
     * Next-fit packing of whole small files, in order of their main host, then location: simple,
     * deterministic, and files on one host end up in the same blocks.
     */
    private List<List<BlockRange>> pack(List<FileEntry> small) {
        List<FileEntry> ordered = new ArrayList<>(small);
        ordered.sort(Comparator.comparing(BlockPlanner::mainHost).thenComparing(FileEntry::location));
        List<List<BlockRange>> packs = new ArrayList<>();
        List<BlockRange> current = new ArrayList<>();
        long currentBytes = 0;
        long currentLimit = Long.MAX_VALUE;
        for (FileEntry file : ordered) {
            long limit = Math.min(currentLimit, targetSize(file));
            if (!current.isEmpty() && currentBytes + file.length() > limit) {
                packs.add(sortedByLocation(current));
                current = new ArrayList<>();
                currentBytes = 0;
                limit = targetSize(file);
            }
            current.add(new BlockRange(file.location(), 0, file.length(), file.length(), true));
            currentBytes += file.length();
            currentLimit = limit;
        }
        if (!current.isEmpty()) {
            packs.add(sortedByLocation(current));
        }
        return packs;
    }

    private static List<BlockRange> sortedByLocation(List<BlockRange> ranges) {
        ranges.sort(Comparator.comparing(BlockRange::location));
        return List.copyOf(ranges);
    }

    /** The host holding most of the file's bytes, or "" when the store reports none. */
    private static String mainHost(FileEntry file) {
        List<String> hosts = hostsOf(List.of(new BlockRange(file.location(), 0, file.length(), file.length(), true)),
                Map.of(file.location(), file));
        return hosts.isEmpty() ? "" : hosts.get(0);
    }

    /** Hosts holding the ranges' bytes, by overlapping bytes descending, then by name. */
    private static List<String> hostsOf(List<BlockRange> ranges, Map<String, FileEntry> entries) {
        Map<String, Long> bytesByHost = new HashMap<>();
        for (BlockRange range : ranges) {
            for (StorageBlock storage : entries.get(range.location()).blocks()) {
                long overlap = Math.min(range.end(), storage.offset() + storage.length())
                        - Math.max(range.start(), storage.offset());
                if (overlap > 0) {
                    for (String host : storage.hosts()) {
                        bytesByHost.merge(host, overlap, Long::sum);
                    }
                }
            }
        }
        List<String> hosts = new ArrayList<>(bytesByHost.keySet());
        hosts.sort(Comparator.comparing((String host) -> bytesByHost.get(host)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        return hosts;
    }

    /** Options of a {@link BlockPlanner}. */
    public static final class Builder {
        private long blockSize;
        private Predicate<String> splittable;
        private InputEncodings encodings;
        private FileStore store;

        private Builder() {}

        /**
         * Cuts at multiples of this size in bytes instead of each file's storage block size
         * ({@code --block-size 64m}).
         */
        public Builder blockSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("Block size must be positive: " + bytes + " bytes");
            }
            this.blockSize = bytes;
            return this;
        }

        /**
         * Decides which files can be split with the compression codecs Hadoop knows under this
         * configuration ({@link InputCodecs#from}): only files with no codec split. The default
         * (over an empty configuration) when neither this nor {@link #splittable} is called.
         */
        public Builder codecs(Configuration configuration) {
            return codecs(InputCodecs.from(requireNonNull(configuration, "configuration is null")));
        }

        /** Decides which files can be split with these codecs: only files with no codec split. */
        public Builder codecs(InputCodecs codecs) {
            this.splittable = requireNonNull(codecs, "codecs is null")::splittable;
            return this;
        }

        /** Decides which files can be split with a rule of the caller's: true means splittable. */
        public Builder splittable(Predicate<String> rule) {
            this.splittable = requireNonNull(rule, "rule is null");
            return this;
        }

        /**
         * Plans a file these encodings read transcoded (UTF-16, UTF-32) as one block, read whole,
         * where it would otherwise be cut; when detecting, reads the first 4 bytes of each such
         * candidate (an uncompressed file larger than the block size) from {@code store}.
         */
        public Builder encodings(InputEncodings encodings, FileStore store) {
            this.encodings = requireNonNull(encodings, "encodings is null");
            this.store = requireNonNull(store, "store is null");
            return this;
        }

        public BlockPlanner build() {
            if (splittable == null) {
                codecs(new Configuration(false));
            }
            return new BlockPlanner(this);
        }
    }
}
