package dev.spindle.jobs;

import dev.spindle.codec.BadRecord;
import dev.spindle.codec.BadRecordSink;
import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.TableSchema;
import dev.spindle.codec.TimestampUnit;
import dev.spindle.io.split.BadRecordException;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.split.RecordChunk;
import dev.spindle.io.split.RecordRangeReader;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.jobs.filter.BoundFilter;
import dev.spindle.jobs.filter.FilterExpression;
import dev.spindle.yarn.BadInputException;
import dev.spindle.yarn.BlockOutcome;
import dev.spindle.yarn.BlockResult;
import dev.spindle.yarn.CommitContext;
import dev.spindle.yarn.BlockTask;
import dev.spindle.yarn.JobPreparation;
import dev.spindle.yarn.PrepareContext;
import dev.spindle.yarn.TaskContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.Schema;

/**
 * {@code csv-to-avro} and {@code csv-to-parquet}: in the AM, infers (or takes) the schema and
 * checks the filter and projection against it; in a worker, reads a block's record ranges,
 * builds typed Arrow batches, filters them and writes the selected, projected rows; without a
 * filter, Avro parts are written straight from the CSV bytes where records are plain.
 */
public final class CsvConversionTask implements BlockTask<CsvJobSpec> {

    @Override
    public Class<CsvJobSpec> specType() {
        return CsvJobSpec.class;
    }

    /**
     * Takes the schema from the spec or infers it, checks the filter's types against it, and
     * returns the spec the workers run with: the same, with the full table schema set.
     */
    @Override
    public JobPreparation prepare(PrepareContext<CsvJobSpec> context) throws Exception {
        CsvJobSpec options = context.task();
        String recordName = options.schema() != null ? options.schema().getName() : RecordNames.fromInputs(context.files());
        TableSchema table = options.table().isPresent()
                ? options.table().get()
                : new SchemaSampler(context.store(), options, CsvConfig.from(context.conf(), options), InputCodecs.from(context.conf()))
                        .infer(context.blocks());
        OutputFormat format = options.format();
        if (format == OutputFormat.PARQUET) {
            // Parquet stores the in-memory microseconds (TIMESTAMP(MICROS)): no millisecond
            // column, so no value is rejected for a sub-millisecond part it can hold.
            table = table.withTimestampUnit(TimestampUnit.MICROS);
        }
        TableSchema output = Projection.apply(table, options.select(), options.drop());
        if (options.filter() != null) {
            options.filter().bind(table.toArrowSchema());
        }
        return new JobPreparation(format.extension(), format.extension(), output.toAvroSchema(recordName).toString(true),
                options.withSchema(table.toAvroSchema(recordName)));
    }

    @Override
    public BlockOutcome run(TaskContext<CsvJobSpec> context) throws Exception {
        CsvJobSpec options = context.task();
        TableSchema table = options.table().orElseThrow(() -> new IllegalStateException("The prepared spec has no table schema"));
        TableSchema output = Projection.apply(table, options.select(), options.drop());
        BoundFilter filter = options.rowFilter().map(f -> f.bind(table.toArrowSchema())).orElse(BoundFilter.all());
        try (BufferAllocator allocator = new RootAllocator();
                RejectWriter rejects = new RejectWriter(context.store(), context.attemptDirectory(), context.block().index());
                PartWriter part = new PartWriter(context, table, output.names(), options)) {
            BadRecordRouter router = new BadRecordRouter(options.onBadRecord(), rejects);
            try (BatchBuilder batches = BatchBuilder.builder(table, allocator).dialect(options.dialect()).badRecords(router).build()) {
                return convert(context, options, batches, filter, part, rejects, router);
            }
        }
    }

    /**
     * Rewrites the reject files of blocks that do not start at byte 0 with absolute line numbers,
     * now that every block's line count is known.
     */
    @Override
    public void beforeCommit(CommitContext<CsvJobSpec> context) throws Exception {
        Map<Integer, Map<String, Long>> bases = LineNumbers.bases(context.blocks(), context.results());
        for (BlockResult result : context.results()) {
            Map<String, Long> fileBases = bases.getOrDefault(result.block(), Map.of());
            if (result.outcome().rowsRejected() > 0 && fileBases.values().stream().anyMatch(base -> base > 0)) {
                RejectWriter.shiftLines(context.store(), context.attemptDirectories().get(result.block()), result.block(), fileBases);
            }
        }
        checkRejectLimit(context);
    }

    /** Fails the job (so nothing is committed) when its bad records are over {@code --max-rejects}. */
    private static void checkRejectLimit(CommitContext<CsvJobSpec> context) throws Exception {
        RejectLimit limit = context.task().maxRejects();
        long read = 0;
        long rejected = 0;
        for (BlockResult result : context.results()) {
            read += result.outcome().rowsRead();
            rejected += result.outcome().rowsRejected();
        }
        if (!limit.exceeded(rejected, read)) {
            return;
        }
        String message = limit.describe(rejected, read);
        for (BlockResult result : context.results()) {
            if (result.outcome().rowsRejected() > 0) {
                Optional<String> first = RejectWriter.firstMessage(context.store(), context.attemptDirectories().get(result.block()), result.block());
                if (first.isPresent()) {
                    message += ". First: " + first.get();
                    break;
                }
            }
        }
        throw new BadInputException(message);
    }

    private static BlockOutcome convert(TaskContext<CsvJobSpec> context, CsvJobSpec options, BatchBuilder batches, BoundFilter filter,
            PartWriter part, RejectWriter rejects, BadRecordRouter router) throws Exception {
        long rowsFiltered = 0;
        long bytesRead = 0;
        int rangeCount = context.block().ranges().size();
        List<BlockOutcome.RangeOutcome> ranges = new ArrayList<>(rangeCount);
        int[] selection = new int[BatchBuilder.BATCH_ROWS_DEFAULT];
        InputCodecs codecs = InputCodecs.from(context.conf());
        CsvConfig config = CsvConfig.from(context.conf(), options);
        boolean writesAll = options.filter() == null; // every record is written or rejected
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
                        if (writesAll) {
                            part.writeAll(batches);
                            continue;
                        }
                        while (batches.next()) {
                            VectorSchemaRoot batch = batches.root();
                            if (selection.length < batch.getRowCount()) {
                                selection = new int[batch.getRowCount()];
                            }
                            int selected = filter.select(batch, selection);
                            part.write(batch, selection, selected);
                            rowsFiltered += batch.getRowCount() - selected;
                        }
                    }
                } catch (BadRecordFailure failure) {
                    throw new BadInputException(LineNumbers.absolute(failure.getMessage(), range, input,
                            reader.firstRecordOffset(), reader.lineEnding()));
                } catch (BadRecordException e) {
                    if (e.guessedStart() && known.isEmpty()) {
                        throw e;
                    }
                    throw new BadInputException(LineNumbers.absolute(e.getMessage(), range, input,
                            reader.firstRecordOffset(), reader.lineEnding()), e);
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
        return config.configure(RecordRangeReader.builder(input, effective, options.recordFormat()))
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
