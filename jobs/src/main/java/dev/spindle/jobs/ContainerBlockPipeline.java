package dev.spindle.jobs;

import dev.spindle.codec.AvroBlockReader;
import dev.spindle.codec.Column;
import dev.spindle.codec.ContainerBlockReader;
import dev.spindle.codec.ParquetBlockReader;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.jobs.filter.BoundFilter;
import dev.spindle.yarn.BadInputException;
import dev.spindle.yarn.BlockOutcome;
import dev.spindle.yarn.TaskContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One block attempt of a job whose input is Avro or Parquet: for each of the block's ranges, an
 * {@link AvroBlockReader} (data blocks after the sync markers in the range) or a
 * {@link ParquetBlockReader} (row groups with their midpoint in it) decodes only the columns the
 * job needs (written ones and the filter's) into the Arrow batches the CSV path builds, the filter
 * selects rows, and {@link PartWriter} (with {@code --partition-by}: {@link PartitionedPartWriter},
 * one part per partition) writes them. The readers' first and stop offsets go into
 * the outcome for the AM's tiling check, as the CSV reader's do.
 *
 * <p>A file that cannot be read (truncated, corrupt, not of the declared format) or whose columns
 * differ from the first file's fails the block with {@link BadInputException} naming the file:
 * there is no record to reject on its own.
 */
final class ContainerBlockPipeline {

    private static final int BATCH_ROWS = 8_192;

    private ContainerBlockPipeline() {}

    static BlockOutcome run(TaskContext<CsvJobSpec> context) throws Exception {
        CsvJobSpec options = context.task();
        TableSchema table = options.table().orElseThrow(() -> new IllegalStateException("The prepared spec has no table schema"));
        TableSchema output = Projection.apply(table, options.select(), options.drop(), options.partitionBy());
        TableSchema read = table.project(neededColumns(table, output, options));
        BoundFilter filter = options.rowFilter().map(f -> f.bind(read.toArrowSchema())).orElse(BoundFilter.all());
        long rowsRead = 0;
        long rowsFiltered = 0;
        long bytesRead = 0;
        List<BlockOutcome.RangeOutcome> ranges = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                PartWriter part = options.partitioned() ? null : new PartWriter(context, read, output.names(), options);
                PartitionedPartWriter partitioned = options.partitioned()
                        ? new PartitionedPartWriter(context, read, output.names(), options, CsvConfig.from(context.conf()).maxOpenPartitionWriters())
                        : null) {
            int[] selection = new int[BATCH_ROWS];
            for (BlockRange range : context.block().ranges()) {
                try (ContainerBlockReader reader = open(context, options.inputFormat(), range, read.names(), allocator)) {
                    checkColumns(read, reader.schema(), range.location());
                    while (reader.next()) {
                        VectorSchemaRoot root = reader.root();
                        int count = root.getRowCount();
                        if (selection.length < count) {
                            selection = new int[count];
                        }
                        int selected = filter.select(root, selection);
                        if (partitioned != null) {
                            partitioned.write(root, selection, selected);
                        } else {
                            part.write(root, selection, selected);
                        }
                        rowsFiltered += count - selected;
                    }
                    rowsRead += reader.rowsRead();
                    ranges.add(new BlockOutcome.RangeOutcome(reader.firstRecordOffset(), reader.stopOffset(), 0));
                    bytesRead += reader.stopOffset() - reader.firstRecordOffset();
                } catch (IOException | IllegalArgumentException e) {
                    throw new BadInputException("Cannot read %s block %d, bytes [%d, %d): %s".formatted(options.inputFormat().optionName(),
                            context.block().index(), range.start(), range.end(), e.getMessage()), e);
                }
            }
            String partFile = partitioned != null ? partitioned.finish() : part.finish();
            long rowsWritten = partitioned != null ? partitioned.rowsWritten() : part.rowsWritten();
            return new BlockOutcome(rowsRead, rowsWritten, rowsFiltered, 0, bytesRead, ranges, partFile);
        }
    }

    /** The table's columns that are written, partitioned or filtered on, in the table's order: all the reader decodes. */
    static List<String> neededColumns(TableSchema table, TableSchema output, CsvJobSpec options) {
        Set<String> needed = new HashSet<>(output.names());
        needed.addAll(options.partitionBy());
        options.rowFilter().ifPresent(filter -> needed.addAll(filter.columns()));
        List<String> ordered = new ArrayList<>();
        for (String name : table.names()) {
            if (needed.contains(name)) {
                ordered.add(name);
            }
        }
        return ordered;
    }

    private static ContainerBlockReader open(TaskContext<CsvJobSpec> context, InputFormat format, BlockRange range, List<String> columns,
            BufferAllocator allocator) throws IOException {
        return switch (format) {
            case AVRO -> {
                SeekableInput input = context.store().open(range.location());
                yield AvroBlockReader.open(new StoreAvroInput(input), range.location(), range.start(), range.end(), columns, allocator, BATCH_ROWS);
            }
            case PARQUET -> ParquetBlockReader.open(new StoreInputFile(context.store(), range.location()), range.start(), range.end(), columns,
                    allocator, BATCH_ROWS);
            case CSV -> throw new IllegalStateException("CSV blocks run in CsvBlockPipeline");
        };
    }

    /** The type as the mismatch message names it: {@code long}, {@code decimal(9,2)} (the unit of a timestamp may differ between files). */
    private static String typeName(Column column) {
        return column.type() == dev.spindle.codec.ColumnType.DECIMAL ? column.typeDescription() : column.type().displayName();
    }

    /** A file whose needed columns differ in order, type or nullability from the job's schema (the first file's) cannot be written with it. */
    private static void checkColumns(TableSchema expected, TableSchema actual, String location) {
        for (int i = 0; i < expected.size(); i++) {
            Column want = expected.column(i);
            Column got = actual.column(i);
            if (!want.name().equals(got.name()) || want.type() != got.type() || want.precision() != got.precision() || want.scale() != got.scale()
                    || (got.nullable() && !want.nullable())) {
                throw new IllegalArgumentException("Column '%s' (#%d) is %s%s here but %s%s in the job's schema (the first input file's): %s".formatted(
                        got.name(), i, typeName(got), got.nullable() ? " (nullable)" : "", typeName(want),
                        want.nullable() ? " (nullable)" : "", location));
            }
        }
    }
}
