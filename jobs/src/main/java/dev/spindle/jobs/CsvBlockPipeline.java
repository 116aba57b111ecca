package dev.spindle.jobs;

import dev.spindle.codec.BadRecord;
import dev.spindle.codec.BadRecordSink;
import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.split.BadRecordException;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.split.RecordChunk;
import dev.spindle.io.split.RecordRangeReader;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.jobs.filter.BoundFilter;
import dev.spindle.yarn.BadInputException;
import dev.spindle.yarn.BlockOutcome;
import dev.spindle.yarn.TaskContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * One block attempt of a CSV job, composed in one place: the block's record ranges
 * ({@link RecordRangeReader}) → the writer's plain-record fast path ({@link BatchBuilder#drainTo}),
 * which with a filter evaluates it on the raw fields of the columns it reads and drops rows
 * before typing the rest, or typed Arrow batches and the filter over them for the records (and
 * writers) that path does not take → the projection and the writer ({@link PartWriter}, or
 * with {@code --partition-by} {@link PartitionedPartWriter}: Arrow batches only, one part per
 * partition) → the part files in the attempt directory, which the AM's committer promotes; bad records go to the {@link RejectWriter} or fail the block, as the policy says.
 * The stages know nothing of each other: the reader does not parse fields, the batch builder
 * does not write, the writers only write.
 */
final class CsvBlockPipeline {

    private CsvBlockPipeline() {}

    /** Runs the attempt and returns its outcome (counters, record ranges, part file). */
    static BlockOutcome run(TaskContext<CsvJobSpec> context) throws Exception {
        CsvJobSpec options = context.task();
        TableSchema table = options.table().orElseThrow(() -> new IllegalStateException("The prepared spec has no table schema"));
        TableSchema output = Projection.apply(table, options.select(), options.drop(), options.partitionBy());
        BoundFilter filter = options.rowFilter().map(f -> f.bind(table.toArrowSchema())).orElse(BoundFilter.all());
        try (BufferAllocator allocator = new RootAllocator();
                RejectWriter rejects = new RejectWriter(context.store(), context.attemptDirectory(), context.block().index());
                BlockOutput part = options.partitioned()
                        ? new PartitionedPartWriter(context, table, output.names(), options, CsvConfig.from(context.conf()).maxOpenPartitionWriters())
                        : new PartWriter(context, table, output.names(), options)) {
            BadRecordRouter router = new BadRecordRouter(options.onBadRecord(), rejects);
            try (BatchBuilder batches = BatchBuilder.builder(table, allocator).dialect(options.dialect()).badRecords(router).build()) {
                return convert(context, options, batches, filter, part, rejects, router);
            }
        }
    }

    private static BlockOutcome convert(TaskContext<CsvJobSpec> context, CsvJobSpec options, BatchBuilder batches, BoundFilter filter,
            BlockOutput part, RejectWriter rejects, BadRecordRouter router) throws Exception {
        long rowsFiltered = 0;
        long bytesRead = 0;
        int rangeCount = context.block().ranges().size();
        List<BlockOutcome.RangeOutcome> ranges = new ArrayList<>(rangeCount);
        InputCodecs codecs = InputCodecs.from(context.conf());
        CsvConfig config = CsvConfig.from(context.conf(), options);
        boolean writesAll = options.filter() == null; // every record is written or rejected
        // a filtered job drains the same way, with the filter: on raw records where the writer's
        // direct path takes them, over Arrow batches otherwise (see BatchBuilder.drainTo)
        for (int i = 0; i < rangeCount; i++) {
            BlockRange range = context.block().ranges().get(i);
            router.location(range.location());
            OptionalLong known = context.knownRecordStart(i);
            try (SeekableInput input = context.store().open(range.location());
                    RecordRangeReader reader = open(input, range, options, config, codecs, known, (offset, line, length, prefix) ->
                            batches.rejectUnread(BadRecord.recordTooLong(config.maxRecordBytes(), line, offset, prefix)))) {
                try {
                    RecordChunk chunk;
                    while ((chunk = reader.next()) != null) {
                        batches.reset(chunk.buffer(), chunk.offset(), chunk.length(), chunk.fileOffset(), chunk.firstLine());
                        rowsFiltered += part.write(batches, writesAll ? null : filter);
                    }
                } catch (BadRecordFailure failure) {
                    throw new BadInputException(LineNumbers.absolute(failure.getMessage(), range, input,
                            reader.firstRecordOffset()));
                } catch (BadRecordException e) {
                    if (e.guessedStart() && known.isEmpty()) {
                        throw e;
                    }
                    throw new BadInputException(LineNumbers.absolute(e.getMessage(), range, input,
                            reader.firstRecordOffset()), e);
                }
                ranges.add(new BlockOutcome.RangeOutcome(reader.firstRecordOffset(), reader.stopOffset(), reader.lines()));
                bytesRead += reader.stopOffset() - reader.firstRecordOffset();
            } catch (BadRecordException e) {
                if (e.guessedStart() && known.isEmpty()) {
                    // The guessed start was wrong; the AM re-runs this block from a known record start.
                    part.discard();
                    rejects.discard();
                    List<BlockOutcome.RangeOutcome> unknown = new ArrayList<>();
                    for (int r = 0; r < rangeCount; r++) {
                        unknown.add(BlockOutcome.RangeOutcome.unknown());
                    }
                    return new BlockOutcome(0, 0, 0, 0, 0, unknown, null);
                }
                throw new BadInputException(e.getMessage(), e);
            }
        }
        String partFile = part.finish();
        rejects.finish();
        return new BlockOutcome(batches.recordsIn(), part.rowsWritten(), rowsFiltered, batches.badRecords(), bytesRead, ranges, partFile);
    }

    private static RecordRangeReader open(SeekableInput input, BlockRange range, CsvJobSpec options, CsvConfig config,
            InputCodecs codecs, OptionalLong known, RecordRangeReader.OversizedRecordListener oversized)
            throws IOException, BadRecordException {
        BlockRange effective = range;
        RecordRangeReader.StartMode mode = RecordRangeReader.StartMode.GUESS;
        if (known.isPresent()) {
            long start = known.getAsLong();
            effective = new BlockRange(range.location(), start, Math.max(start, range.end()), range.fileLength(), range.splittable());
            mode = RecordRangeReader.StartMode.KNOWN_RECORD_START;
        }
        return config.configure(RecordRangeReader.builder(input, effective, options.recordFormat())).skipLines(options.skipLines())
                .codecs(codecs)
                .encodings(options.inputEncodings())
                .startMode(mode)
                .skipOversizedRecords(oversized)
                .open();
    }

    /** Sends bad records where the policy says; under {@code fail}, stops the block at the first. */
    private static final class BadRecordRouter implements BadRecordSink {
        private final BadRecordPolicy policy;
        private final RejectWriter rejects;
        private String location = "";

        BadRecordRouter(BadRecordPolicy policy, RejectWriter rejects) {
            this.policy = policy;
            this.rejects = rejects;
        }

        void location(String value) {
            this.location = value;
        }

        @Override
        public void accept(BadRecord record) {
            switch (policy) {
                case REJECT -> rejects.write(location, record);
                case FAIL -> throw new BadRecordFailure(record.message() + ": " + location);
                case SKIP -> {
                    // Counted by the batch builder, written nowhere: what --on-bad-record skip asks.
                }
            }
        }
    }

    /** Carries a {@code fail}-policy bad record out of the batch builder's callback. */
    private static final class BadRecordFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRecordFailure(String message) {
            super(message, null, false, false);
        }
    }
}
