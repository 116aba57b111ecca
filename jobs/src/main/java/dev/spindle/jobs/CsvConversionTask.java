package dev.spindle.jobs;

import dev.spindle.codec.TableSchema;
import dev.spindle.codec.TimestampUnit;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.yarn.BadInputException;
import dev.spindle.yarn.BlockOutcome;
import dev.spindle.yarn.BlockResult;
import dev.spindle.yarn.CommitContext;
import dev.spindle.yarn.BlockTask;
import dev.spindle.yarn.JobPreparation;
import dev.spindle.yarn.PrepareContext;
import dev.spindle.yarn.TaskContext;
import java.util.Map;
import java.util.Optional;

/**
 * {@code csv-to-avro}, {@code csv-to-parquet}, {@code avro-to-parquet} and {@code parquet-to-avro}:
 * in the AM, infers (or takes, or for Avro and Parquet input reads from the first file) the schema and
 * checks the filter and projection against it; in a worker, runs one block attempt through
 * {@link CsvBlockPipeline}; before commit, gives reject lines their absolute line numbers and
 * enforces {@code --max-rejects}.
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
        if (options.inputFormat() != InputFormat.CSV) {
            // the first file's schema is the job's; every block checks its file's columns against it
            options = options.withSchema(ContainerSchemas.firstFile(context.store(), options.inputFormat(), context.files()));
        }
        String recordName = options.schema() != null ? options.schema().getName() : RecordNames.fromInputs(context.files());
        TableSchema table = options.table().isPresent()
                ? options.table().get()
                : new SchemaSampler(context.store(), options, CsvConfig.from(context.conf(), options), InputCodecs.from(context.conf()))
                        .infer(context.blocks());
        OutputFormat format = options.format();
        table = forFormat(table, format);
        if (options.filter() != null) {
            options.filter().bind(table.toArrowSchema());
        }
        return new JobPreparation(format.extension(), format.extension(), outputSchema(table, options, recordName).toString(true),
                options.withSchema(table.toAvroSchema(recordName)));
    }

    /**
     * The table as the format stores it: Parquet stores the in-memory microseconds
     * (TIMESTAMP(MICROS)), so it has no millisecond column and rejects no value for a
     * sub-millisecond part it can hold.
     */
    static TableSchema forFormat(TableSchema table, OutputFormat format) {
        return format == OutputFormat.PARQUET ? table.withTimestampUnit(TimestampUnit.MICROS) : table;
    }

    /**
     * The schema of the part files (the manifest's {@code schema}) of a job with these options
     * over {@code table}: the projected records of the format, named {@code recordName}. The
     * client computes it too, to compare with the dataset's before an append.
     */
    static org.apache.avro.Schema outputSchema(TableSchema table, CsvJobSpec options, String recordName) {
        TableSchema output = Projection.apply(forFormat(table, options.format()), options.select(), options.drop(), options.partitionBy());
        return output.toAvroSchema(recordName);
    }

    /**
     * Runs the block's pipeline: for CSV {@link CsvBlockPipeline} (records, batches or the direct
     * path, filter, projection, part file), for Avro and Parquet {@link ContainerBlockPipeline}.
     */
    @Override
    public BlockOutcome run(TaskContext<CsvJobSpec> context) throws Exception {
        return context.task().inputFormat() == InputFormat.CSV ? CsvBlockPipeline.run(context) : ContainerBlockPipeline.run(context);
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
}
