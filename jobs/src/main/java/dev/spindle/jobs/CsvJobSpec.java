package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.split.InputEncodings;
import dev.spindle.io.split.RecordFormat;
import dev.spindle.jobs.filter.FilterExpression;
import dev.spindle.yarn.TaskSpec;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * What {@code csv-to-avro}, {@code csv-to-parquet} and {@code infer-schema} do, as one typed,
 * immutable record: built and checked once from the command line, carried inside the
 * {@code JobSpec} as JSON, and read back as this record by the AM ({@link CsvConversionTask#prepare})
 * and every worker. {@code prepare} returns it with {@link #schema()} set to the table schema
 * the workers parse with.
 *
 * @param dialect how the CSV is written; its charset is {@link #encoding()} when one is declared, else UTF-8
 * @param encoding the declared input charset ({@code --encoding}), or null: detect a UTF-16/32
 *     byte order mark, else ASCII-compatible
 * @param schema the full table schema (before projection): from {@code --schema} in the client,
 *     from inference in the AM's prepared spec; null while it is still to be inferred
 * @param select columns to write, in this order; empty for all
 * @param drop columns not to write; empty for none (never both select and drop)
 * @param filter the row filter as its expression tree, or null for every row
 * @param format the output format
 * @param codec the output compression codec, by the format's name for it
 * @param onBadRecord what happens to a record that cannot be read or typed
 * @param maxRejects how many bad records the job may have before it fails
 * @param maxRecordBytes {@code --max-record-bytes}, or null for the configuration's value
 * @param sampleRows rows sampled for schema inference
 * @param skipLines physical lines skipped at the start of every input file, before its header
 *     (or its first record without a header): {@code --skip-lines}, or the preamble the client
 *     detected in the first file
 * @param partitionBy {@code --partition-by}: the columns whose values name Hive-style partition
 *     directories ({@code col=value/}), in directory order; empty for a flat output. They are
 *     input columns, left out of the written records; CSV input only
 * @param inputFormat what the input files are: CSV (every other field above but the output's is
 *     about reading it), or Avro / Parquet, whose files carry their schema and are read by
 *     {@link ContainerBlockPipeline}; CSV when absent from the JSON
 */
public record CsvJobSpec(
        @JsonSerialize(converter = SpecJson.DialectWriter.class) @JsonDeserialize(converter = SpecJson.DialectReader.class)
        CsvDialect dialect,
        String encoding,
        @JsonSerialize(using = SpecJson.SchemaSerializer.class) @JsonDeserialize(using = SpecJson.SchemaDeserializer.class)
        Schema schema,
        List<String> select,
        List<String> drop,
        FilterExpression filter,
        OutputFormat format,
        String codec,
        BadRecordPolicy onBadRecord,
        RejectLimit maxRejects,
        Integer maxRecordBytes,
        int sampleRows,
        int skipLines,
        List<String> partitionBy,
        InputFormat inputFormat) implements TaskSpec {

    static final int SAMPLE_ROWS_DEFAULT = 20_480;

    public CsvJobSpec {
        requireNonNull(dialect, "dialect is null");
        requireNonNull(format, "format is null");
        requireNonNull(codec, "codec is null");
        requireNonNull(onBadRecord, "onBadRecord is null");
        requireNonNull(maxRejects, "maxRejects is null");
        select = List.copyOf(select);
        drop = List.copyOf(drop);
        partitionBy = partitionBy == null ? List.of() : List.copyOf(partitionBy);
        inputFormat = inputFormat == null ? InputFormat.CSV : inputFormat;
        if (new java.util.HashSet<>(partitionBy).size() != partitionBy.size()) {
            throw new IllegalArgumentException("--partition-by names a column twice: " + String.join(",", partitionBy));
        }
        if (!select.isEmpty() && !drop.isEmpty()) {
            throw new IllegalArgumentException("Use --select or --drop, not both");
        }
        if (encoding != null) {
            Charset charset = Charset.forName(encoding);
            encoding = charset.name();
            dialect = dialect.toBuilder().charset(charset).build();
        }
        if (schema != null && schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("The table schema must be an Avro record, got " + schema.getType());
        }
        if (maxRecordBytes != null && maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
        }
        if (sampleRows < 1) {
            throw new IllegalArgumentException("sampleRows must be at least 1: " + sampleRows);
        }
        if (skipLines < 0) {
            throw new IllegalArgumentException("skipLines must not be negative: " + skipLines);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This spec with the table schema set: what {@code prepare} hands the workers. */
    CsvJobSpec withSchema(Schema value) {
        return new CsvJobSpec(dialect, encoding, requireNonNull(value, "schema is null"), select, drop, filter, format, codec,
                onBadRecord, maxRejects, maxRecordBytes, sampleRows, skipLines, partitionBy, inputFormat);
    }

    /** This spec skipping {@code lines} lines at the start of every file. */
    CsvJobSpec withSkipLines(int lines) {
        return new CsvJobSpec(dialect, encoding, schema, select, drop, filter, format, codec, onBadRecord, maxRejects,
                maxRecordBytes, sampleRows, lines, partitionBy, inputFormat);
    }

    /** The table schema, when it is known ({@code --schema}, or the prepared spec). */
    @JsonIgnore
    Optional<TableSchema> table() {
        return Optional.ofNullable(schema).map(TableSchema::fromAvroSchema);
    }

    @JsonIgnore
    boolean partitioned() {
        return !partitionBy.isEmpty();
    }

    @JsonIgnore
    Optional<FilterExpression> rowFilter() {
        return Optional.ofNullable(filter);
    }

    @JsonIgnore
    OptionalInt recordByteLimit() {
        return maxRecordBytes == null ? OptionalInt.empty() : OptionalInt.of(maxRecordBytes);
    }

    /** The record-boundary view of the dialect, for the block readers. */
    @JsonIgnore
    RecordFormat recordFormat() {
        RecordFormat.Builder builder = RecordFormat.builder()
                .delimiter((char) dialect.delimiter())
                .header(dialect.headerPresent() ? RecordFormat.Header.PRESENT : RecordFormat.Header.ABSENT)
                .escape(dialect.escapeMode() == CsvDialect.EscapeMode.BACKSLASH ? RecordFormat.Escape.BACKSLASH : RecordFormat.Escape.DOUBLED_QUOTE)
                .quote((char) dialect.quote());
        dialect.commentPrefix().ifPresent(comment -> builder.commentPrefix(comment.charAt(0)));
        return builder.build();
    }

    @Override
    public InputEncodings inputEncodings() {
        return encoding == null ? InputEncodings.detecting() : InputEncodings.declared(Charset.forName(encoding));
    }

    /** Builds a {@link CsvJobSpec}; defaults: RFC 4180 dialect, all columns and rows, Avro with its default codec, reject bad records up to 1%. */
    public static final class Builder {
        private CsvDialect dialect = CsvDialect.defaults();
        private String encoding;
        private Schema schema;
        private List<String> select = List.of();
        private List<String> drop = List.of();
        private FilterExpression filter;
        private OutputFormat format = OutputFormat.AVRO;
        private String codec;
        private BadRecordPolicy onBadRecord = BadRecordPolicy.REJECT;
        private RejectLimit maxRejects = RejectLimit.parse(RejectLimit.DEFAULT);
        private Integer maxRecordBytes;
        private int sampleRows = SAMPLE_ROWS_DEFAULT;
        private int skipLines;
        private List<String> partitionBy = List.of();
        private InputFormat inputFormat = InputFormat.CSV;

        private Builder() {}

        Builder inputFormat(InputFormat value) {
            this.inputFormat = requireNonNull(value, "inputFormat is null");
            return this;
        }

        public Builder dialect(CsvDialect value) {
            this.dialect = requireNonNull(value, "dialect is null");
            return this;
        }

        public Builder encoding(String value) {
            this.encoding = value;
            return this;
        }

        public Builder schema(Schema value) {
            this.schema = value;
            return this;
        }

        public Builder select(List<String> value) {
            this.select = value;
            return this;
        }

        public Builder drop(List<String> value) {
            this.drop = value;
            return this;
        }

        public Builder filter(FilterExpression value) {
            this.filter = value;
            return this;
        }

        Builder format(OutputFormat value) {
            this.format = requireNonNull(value, "format is null");
            return this;
        }

        public Builder codec(String value) {
            this.codec = value;
            return this;
        }

        Builder onBadRecord(BadRecordPolicy value) {
            this.onBadRecord = requireNonNull(value, "onBadRecord is null");
            return this;
        }

        Builder maxRejects(RejectLimit value) {
            this.maxRejects = requireNonNull(value, "maxRejects is null");
            return this;
        }

        public Builder maxRecordBytes(Integer value) {
            this.maxRecordBytes = value;
            return this;
        }

        public Builder sampleRows(int value) {
            this.sampleRows = value;
            return this;
        }

        public Builder skipLines(int value) {
            this.skipLines = value;
            return this;
        }

        public Builder partitionBy(List<String> value) {
            this.partitionBy = value;
            return this;
        }

        public CsvJobSpec build() {
            return new CsvJobSpec(dialect, encoding, schema, select, drop, filter, format, codec == null ? format.defaultCodec() : codec,
                    onBadRecord, maxRejects, maxRecordBytes, sampleRows, skipLines, partitionBy, inputFormat);
        }
    }
}
