package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.codec.AvroBatchWriter;
import dev.spindle.io.split.RecordRangeReader;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;

/**
 * The typed configuration of the CSV jobs, read once from the job's Hadoop configuration
 * ({@code -D key=value}). Every {@code spindle.csv.*} key is here with its default, and the
 * {@code spindle.avro.*} and {@code spindle.partition.*} keys the workers read.
 */
final class CsvConfig {

    /** Longest record, in bytes, before it is a bad record. */
    static final String MAX_RECORD_BYTES = RecordRangeReader.MAX_RECORD_BYTES;
    /**
     * 8 MiB: far above any sane CSV record, low enough that one giant "record" (a file with no
     * line break, a binary) is a bad record rather than tens of megabytes through a container
     * or the AM. {@code --max-record-bytes} overrides it per job.
     */
    static final int MAX_RECORD_BYTES_DEFAULT = 8 << 20;
    /** Bytes a block reads ahead of its start to guess whether it starts inside a quoted field. */
    static final String LOOK_AHEAD_BYTES = "spindle.csv.look-ahead-bytes";
    static final int LOOK_AHEAD_BYTES_DEFAULT = RecordRangeReader.LOOK_AHEAD_BYTES_DEFAULT;
    /** Bytes a block reads at a time. */
    static final String READ_BUFFER_BYTES = "spindle.csv.read-buffer-bytes";
    static final int READ_BUFFER_BYTES_DEFAULT = RecordRangeReader.READ_BUFFER_BYTES_DEFAULT;

    /** zlib level of the Avro deflate codec: 1 (fastest, the default) to 9 (smallest). */
    static final String AVRO_DEFLATE_LEVEL = "spindle.avro.deflate-level";
    static final int AVRO_DEFLATE_LEVEL_DEFAULT = AvroBatchWriter.DEFLATE_LEVEL_DEFAULT;

    /**
     * Part files a worker keeps open at once while it writes a partitioned block: beyond it, the
     * least recently written one is closed, and a later row of that partition starts a new part.
     */
    static final String PARTITION_MAX_OPEN_WRITERS = "spindle.partition.max-open-writers";
    static final int PARTITION_MAX_OPEN_WRITERS_DEFAULT = 64;

    private final int maxRecordBytes;
    private final int maxOpenPartitionWriters;
    private final int deflateLevel;
    private final int lookAheadBytes;
    private final int readBufferBytes;

    private CsvConfig(Configuration conf, OptionalInt maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes.isPresent() ? maxRecordBytes.getAsInt() : positive(conf, MAX_RECORD_BYTES, MAX_RECORD_BYTES_DEFAULT);
        this.lookAheadBytes = positive(conf, LOOK_AHEAD_BYTES, LOOK_AHEAD_BYTES_DEFAULT);
        this.readBufferBytes = positive(conf, READ_BUFFER_BYTES, READ_BUFFER_BYTES_DEFAULT);
        this.deflateLevel = conf.getInt(AVRO_DEFLATE_LEVEL, AVRO_DEFLATE_LEVEL_DEFAULT);
        this.maxOpenPartitionWriters = conf.getInt(PARTITION_MAX_OPEN_WRITERS, PARTITION_MAX_OPEN_WRITERS_DEFAULT);
        if (maxOpenPartitionWriters < 1) {
            throw new IllegalArgumentException("%s must be at least 1 part file, got %d".formatted(PARTITION_MAX_OPEN_WRITERS,
                    maxOpenPartitionWriters));
        }
        if (deflateLevel < 1 || deflateLevel > 9) {
            throw new IllegalArgumentException("%s must be between 1 and 9, got %d".formatted(AVRO_DEFLATE_LEVEL, deflateLevel));
        }
    }

    int maxOpenPartitionWriters() {
        return maxOpenPartitionWriters;
    }

    int deflateLevel() {
        return deflateLevel;
    }

    static CsvConfig from(Configuration conf) {
        return new CsvConfig(requireNonNull(conf, "conf is null"), OptionalInt.empty());
    }

    /** The job's settings: {@code conf}'s, with the job's {@code --max-record-bytes} when it gave one. */
    static CsvConfig from(Configuration conf, CsvJobSpec options) {
        return new CsvConfig(requireNonNull(conf, "conf is null"), options.recordByteLimit());
    }

    private static int positive(Configuration conf, String key, int defaultValue) {
        long value = conf.getLongBytes(key, defaultValue);
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("%s must be between 1 and %d bytes, got %d".formatted(key, Integer.MAX_VALUE, value));
        }
        return (int) value;
    }

    int maxRecordBytes() {
        return maxRecordBytes;
    }

    int lookAheadBytes() {
        return lookAheadBytes;
    }

    int readBufferBytes() {
        return readBufferBytes;
    }

    /** Applies these settings to a reader being built. */
    RecordRangeReader.Builder configure(RecordRangeReader.Builder builder) {
        return builder.maxRecordBytes(maxRecordBytes).lookAheadBytes(lookAheadBytes).readBufferBytes(readBufferBytes);
    }
}
