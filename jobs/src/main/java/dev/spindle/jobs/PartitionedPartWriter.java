package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.BatchWriter;
import dev.spindle.codec.ColumnType;
import dev.spindle.codec.ParquetBatchWriter;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.commit.AttemptPartitions;
import dev.spindle.jobs.filter.BoundFilter;
import dev.spindle.yarn.TaskContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The part files of one block attempt of a {@code --partition-by} job: each row goes to the part
 * of its partition, {@code <attempt>/col=value/part-00042.avro}, and the attempt's
 * {@link AttemptPartitions#FILE} lists every part with its rows for the committer. At most
 * {@code maxOpenWriters} parts are open at once: opening one more closes the least recently
 * written, and a later row of that partition starts its next part ({@code part-00042-1.avro},
 * {@code -2}, ...), so a block may leave several parts in one partition. Names carry the block
 * index, so they are unique in the job.
 *
 * <p>Rows go through the Arrow batches (the filter over them, then the partition of each kept
 * row), never the writers' plain-record path, which writes a chunk's rows in one file.
 */
final class PartitionedPartWriter implements BlockOutput {

    private final TaskContext<CsvJobSpec> context;
    private final TableSchema table;
    private final List<String> dataColumns;
    private final List<String> partitionColumns;
    private final int[] partitionIndexes;
    private final ColumnType[] partitionTypes;
    private final CsvJobSpec options;
    private final int maxOpenWriters;
    private final long parquetRowGroupBytes;
    private final String baseName;
    private final String extension;

    /** Open parts by partition directory, least recently written first. */
    private final LinkedHashMap<String, OpenPart> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Parts a partition has had in this attempt, open or closed. */
    private final Map<String, Integer> partsPerPartition = new HashMap<>();
    private final List<AttemptPartitions.PartitionPart> closed = new ArrayList<>();
    private final List<String> created = new ArrayList<>();
    private long rowsWritten;
    private int[] selection = new int[0];
    private boolean finished;

    PartitionedPartWriter(TaskContext<CsvJobSpec> context, TableSchema table, List<String> dataColumns, CsvJobSpec options,
            int maxOpenWriters) {
        this.context = requireNonNull(context, "context is null");
        this.table = requireNonNull(table, "table is null");
        this.dataColumns = List.copyOf(dataColumns);
        this.options = requireNonNull(options, "options is null");
        this.partitionColumns = options.partitionBy();
        if (partitionColumns.isEmpty()) {
            throw new IllegalArgumentException("The job is not partitioned");
        }
        if (maxOpenWriters < 1) {
            throw new IllegalArgumentException("maxOpenWriters must be at least 1: " + maxOpenWriters);
        }
        this.maxOpenWriters = maxOpenWriters;
        // the open Parquet writers buffer a row group each: together about one default row group
        this.parquetRowGroupBytes = Math.max(1L << 20, ParquetBatchWriter.ROW_GROUP_BYTES_DEFAULT / maxOpenWriters);
        this.partitionIndexes = new int[partitionColumns.size()];
        this.partitionTypes = new ColumnType[partitionColumns.size()];
        for (int i = 0; i < partitionIndexes.length; i++) {
            partitionIndexes[i] = table.indexOf(partitionColumns.get(i));
            partitionTypes[i] = table.column(partitionIndexes[i]).type();
        }
        String name = context.partFileName();
        int dot = name.lastIndexOf('.');
        this.baseName = name.substring(0, dot);
        this.extension = name.substring(dot);
    }

    /**
     * Writes the records left in {@code batches}' chunk that {@code filter} keeps, each into its
     * partition, and returns how many the filter dropped.
     */
    @Override
    public long write(BatchBuilder batches, BoundFilter filter) throws IOException {
        BoundFilter rows = filter == null ? BoundFilter.all() : filter;
        long dropped = 0;
        while (batches.next()) {
            VectorSchemaRoot root = batches.root();
            int count = root.getRowCount();
            if (selection.length < count) {
                selection = new int[count];
            }
            int selected = rows.select(root, selection);
            dropped += count - selected;
            writeSelected(root, selected);
        }
        return dropped;
    }

    /**
     * Writes rows {@code selection[0..selected)} of {@code root} (a batch of the table's columns,
     * as an Avro or Parquet input's reader decodes it), each into its partition.
     */
    void write(VectorSchemaRoot root, int[] rows, int selected) throws IOException {
        if (selection.length < selected) {
            selection = new int[selected];
        }
        System.arraycopy(rows, 0, selection, 0, selected);
        writeSelected(root, selected);
    }

    /** Groups the selected rows by partition (in the order each first appears) and writes each group to its part. */
    private void writeSelected(VectorSchemaRoot root, int selected) throws IOException {
        FieldVector[] vectors = new FieldVector[partitionIndexes.length];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = root.getVector(partitionIndexes[i]);
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        String[] values = new String[partitionIndexes.length];
        for (int s = 0; s < selected; s++) {
            int row = selection[s];
            for (int i = 0; i < vectors.length; i++) {
                values[i] = PartitionPaths.text(vectors[i], partitionTypes[i], row);
            }
            String directory = PartitionPaths.directory(partitionColumns, values);
            Group group = groups.get(directory);
            if (group == null) {
                group = new Group(values.clone(), new int[Math.min(selected - s, 64)]);
                groups.put(directory, group);
            }
            group.add(row);
        }
        for (Map.Entry<String, Group> entry : groups.entrySet()) {
            Group group = entry.getValue();
            OpenPart part = open.get(entry.getKey());
            if (part == null) {
                part = openPart(entry.getKey(), group.values);
            }
            part.writer.write(root, group.rows, group.count);
            rowsWritten += group.count;
        }
    }

    private OpenPart openPart(String directory, String[] values) throws IOException {
        if (open.size() >= maxOpenWriters) {
            Iterator<Map.Entry<String, OpenPart>> eldest = open.entrySet().iterator();
            OpenPart evicted = eldest.next().getValue();
            eldest.remove();
            close(evicted);
        }
        int index = partsPerPartition.merge(directory, 1, Integer::sum) - 1;
        String path = directory + "/" + baseName + (index == 0 ? "" : "-" + index) + extension;
        String location = context.attemptDirectory() + "/" + path;
        created.add(location);
        OutputStream stream = context.store().create(location);
        BatchWriter writer;
        try {
            writer = PartWriter.newWriter(context, table, dataColumns, options, stream, parquetRowGroupBytes);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            named.put(partitionColumns.get(i), values[i]);
        }
        OpenPart part = new OpenPart(path, named, stream, writer);
        open.put(directory, part);
        return part;
    }

    private void close(OpenPart part) throws IOException {
        part.writer.close();
        part.stream.close();
        closed.add(new AttemptPartitions.PartitionPart(part.path, part.values, part.writer.rowsWritten()));
    }

    /** The partition columns' input types, for the manifest (and {@code --hive-ddl}): they are not in the records' schema. */
    private com.fasterxml.jackson.databind.JsonNode partitionSchema() throws IOException {
        String json = table.project(partitionColumns).toAvroSchema(options.schema().getName() + "_partition").toString();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    }

    @Override
    public long rowsWritten() {
        return rowsWritten;
    }

    /** Parts open now; at most {@code maxOpenWriters}. */
    int openParts() {
        return open.size();
    }

    /**
     * Closes every open part and writes the attempt's {@link AttemptPartitions#FILE} (also when
     * no row was written, so the committer knows the job is partitioned); returns its name.
     */
    @Override
    public String finish() throws IOException {
        return finishParts().isEmpty() ? null : AttemptPartitions.FILE;
    }

    /** {@link #finish()}, returning the parts written. */
    List<AttemptPartitions.PartitionPart> finishParts() throws IOException {
        finished = true;
        for (OpenPart part : open.values()) {
            close(part);
        }
        open.clear();
        AttemptPartitions listing = new AttemptPartitions(partitionColumns, partitionSchema(), closed);
        listing.write(context.store(), context.attemptDirectory());
        return listing.parts();
    }

    /** Drops what was written: this attempt's output will not be used. */
    @Override
    public void discard() throws IOException {
        finished = true;
        IOException failure = null;
        for (OpenPart part : open.values()) {
            try {
                part.writer.close();
                part.stream.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        open.clear();
        for (String location : created) {
            context.store().delete(location);
        }
        context.store().delete(context.attemptDirectory() + "/" + AttemptPartitions.FILE);
        created.clear();
        closed.clear();
        partsPerPartition.clear();
        rowsWritten = 0;
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            discard();
        }
    }

    private record OpenPart(String path, Map<String, String> values, OutputStream stream, BatchWriter writer) {}

    /** The selected rows of one batch that go to one partition. */
    private static final class Group {
        final String[] values;
        int[] rows;
        int count;

        Group(String[] values, int[] rows) {
            this.values = values;
            this.rows = rows;
        }

        void add(int row) {
            if (count == rows.length) {
                rows = java.util.Arrays.copyOf(rows, rows.length * 2);
            }
            rows[count++] = row;
        }
    }
}
