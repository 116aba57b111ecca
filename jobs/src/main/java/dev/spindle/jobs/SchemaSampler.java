package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.codec.CsvTokenizer;
import dev.spindle.codec.RowSpans;
import dev.spindle.codec.SchemaInferrer;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.split.BadRecordException;
import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.split.RecordChunk;
import dev.spindle.io.split.RecordRangeReader;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Infers a table schema from a bounded sample taken across the plan: the first block (which
 * holds the header), the last, and evenly spaced blocks between, a share of the sample rows
 * from each. The cost depends on the sample size, never on the input size.
 */
final class SchemaSampler {

    /** Blocks the sample is spread over, at most. */
    static final int SAMPLED_BLOCKS = 8;
    /** Read size while sampling: small, so a block's share is not overshot by much. */
    private static final int SAMPLE_READ_BYTES = 64 << 10;
    /**
     * Look-ahead of a sampled block's start guess, at least. A wrong guess costs a job only a
     * re-run (the tiling check), but in the sample it would feed record-shaped bytes from inside
     * a quoted field to inference and widen a type; the sample is bounded, so it looks far.
     */
    static final int SAMPLE_LOOK_AHEAD_BYTES_MIN = 1 << 20;

    private final FileStore store;
    private final CsvJobSpec options;
    private final CsvConfig config;
    private final InputCodecs codecs;
    private final RowSpans spans = new RowSpans();

    SchemaSampler(FileStore store, CsvJobSpec options, CsvConfig config, InputCodecs codecs) {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
        this.config = requireNonNull(config, "config is null");
        this.codecs = requireNonNull(codecs, "codecs is null");
    }

    TableSchema infer(List<Block> blocks) throws IOException {
        SchemaInferrer inferrer = new SchemaInferrer(options.dialect());
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("No input rows to infer a schema from (every input file is empty); pass --schema FILE");
        }
        Set<Integer> chosen = new LinkedHashSet<>();
        int count = Math.min(SAMPLED_BLOCKS, blocks.size());
        for (int i = 0; i < count; i++) {
            chosen.add(count == 1 ? 0 : (int) ((long) i * (blocks.size() - 1) / (count - 1)));
        }
        long rowsPerBlock = Math.max(1, options.sampleRows() / chosen.size());
        boolean headerSeen = !options.dialect().headerPresent();
        for (int index : chosen) {
            long taken = 0;
            for (BlockRange range : blocks.get(index).ranges()) {
                if (taken >= rowsPerBlock) {
                    break;
                }
                try (SeekableInput input = store.open(range.location());
                        RecordRangeReader reader = config.configure(RecordRangeReader.builder(input, range, options.recordFormat())).skipLines(options.skipLines())
                                .codecs(codecs)
                                .encodings(options.inputEncodings())
                                .readBufferBytes(SAMPLE_READ_BYTES)
                                .lookAheadBytes(Math.max(config.lookAheadBytes(), SAMPLE_LOOK_AHEAD_BYTES_MIN))
                                .skipOversizedRecords((offset, line, length, prefix) -> {
                                    // a bad record for the job, nothing to learn a type from
                                })
                                .open()) {
                    Optional<byte[]> header = reader.header();
                    if (!headerSeen && header.isPresent()) {
                        inferrer.header(header.get(), 0, header.get().length);
                        headerSeen = true;
                    }
                    RecordChunk chunk;
                    while (headerSeen && taken < rowsPerBlock && (chunk = reader.next()) != null) {
                        int length = prefixOf(chunk, rowsPerBlock - taken);
                        inferrer.sample(chunk.buffer(), chunk.offset(), length, chunk.fileOffset(), chunk.firstLine());
                        taken += Math.min(chunk.records(), rowsPerBlock - taken);
                    }
                } catch (BadRecordException e) {
                    // A sampled block that guessed its start wrong, or a record too long to sample:
                    // the sample goes on with the other blocks; the job itself reads every byte exactly.
                }
            }
        }
        return inferrer.result();
    }

    /** Bytes of the chunk's first {@code records} records: the sample takes no more than its share. */
    private int prefixOf(RecordChunk chunk, long records) {
        if (chunk.records() <= records) {
            return chunk.length();
        }
        CsvTokenizer tokenizer = new CsvTokenizer(options.dialect());
        tokenizer.reset(chunk.buffer(), chunk.offset(), chunk.length(), chunk.fileOffset(), chunk.firstLine());
        int wanted = (int) records;
        if (tokenizer.next(spans, wanted + 1) <= wanted) {
            return chunk.length();
        }
        return spans.recordStart(wanted) - chunk.offset();
    }
}
