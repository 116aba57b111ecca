package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.codec.CsvDialect;
import dev.spindle.io.split.RecordFormat;
import dev.spindle.io.split.InputEncodings;
import dev.spindle.yarn.JobSpec;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CSV jobs' options as they travel in {@link JobSpec#options()}: written by the command
 * line ({@link CsvCommandOptions}), read by {@link CsvConversionTask} in the AM and the workers
 * and by {@code infer-schema}. One place for the keys.
 */
final class CsvJobOptions {

    static final String DELIMITER = "csv.delimiter";
    static final String QUOTE = "csv.quote";
    static final String ESCAPE = "csv.escape";
    static final String HEADER = "csv.header";
    static final String NULL_TOKENS = "csv.null-tokens";
    static final String COMMENT = "csv.comment";
    static final String CHARSET = JobSpec.INPUT_CHARSET;
    static final String SCHEMA = "schema";
    static final String FILTER = "filter";
    static final String SELECT = "select";
    static final String DROP = "drop";
    static final String FORMAT = "format";
    static final String CODEC = "codec";
    static final String ON_BAD_RECORD = "on-bad-record";
    static final String SAMPLE_ROWS = "sample-rows";
    static final String MAX_REJECTS = "max-rejects";
    static final String MAX_RECORD_BYTES = "max-record-bytes";
    static final int SAMPLE_ROWS_DEFAULT = 20_480;
    /** Separates list values (null tokens, column names) inside one option value. */
    static final char LIST_SEPARATOR = '\u001f';

    private final Map<String, String> options;

    CsvJobOptions(Map<String, String> options) {
        this.options = Map.copyOf(requireNonNull(options, "options is null"));
    }

    CsvJobOptions(JobSpec spec) {
        this(spec.options());
    }

    private String option(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }

    CsvDialect dialect() {
        CsvDialect.Builder builder = CsvDialect.builder()
                .delimiter(option(DELIMITER, ",").charAt(0))
                .quote(option(QUOTE, "\"").charAt(0))
                .escapeMode(escape())
                .nullTokens(list(option(NULL_TOKENS, "")))
                .charset(Charset.forName(option(CHARSET, "UTF-8")));
        if (Boolean.parseBoolean(option(HEADER, "true"))) {
            builder.withHeader();
        } else {
            builder.withoutHeader();
        }
        Optional.ofNullable(options.get(COMMENT)).ifPresent(builder::commentPrefix);
        return builder.build();
    }

    /** The record-boundary view of the same dialect, for the block readers. */
    RecordFormat recordFormat() {
        RecordFormat.Builder builder = RecordFormat.builder()
                .delimiter(option(DELIMITER, ",").charAt(0))
                .header(Boolean.parseBoolean(option(HEADER, "true")) ? RecordFormat.Header.PRESENT : RecordFormat.Header.ABSENT)
                .escape(escape() == CsvDialect.EscapeMode.BACKSLASH ? RecordFormat.Escape.BACKSLASH : RecordFormat.Escape.DOUBLED_QUOTE)
                .quote(option(QUOTE, "\"").charAt(0));
        Optional.ofNullable(options.get(COMMENT)).ifPresent(comment -> builder.commentPrefix(comment.charAt(0)));
        return builder.build();
    }

    private CsvDialect.EscapeMode escape() {
        return option(ESCAPE, "doubled").equalsIgnoreCase("backslash") ? CsvDialect.EscapeMode.BACKSLASH : CsvDialect.EscapeMode.DOUBLED;
    }

    /** How the inputs' bytes are decoded: the declared charset, else detected from a BOM. */
    InputEncodings encodings() {
        String charset = options.get(CHARSET);
        return charset == null ? InputEncodings.detecting() : InputEncodings.declared(Charset.forName(charset));
    }

    Optional<String> schemaJson() {
        return Optional.ofNullable(options.get(SCHEMA));
    }

    Optional<String> filter() {
        return Optional.ofNullable(options.get(FILTER)).filter(f -> !f.isBlank());
    }

    List<String> select() {
        String value = option(SELECT, "");
        return value.isEmpty() ? List.of() : list(value);
    }

    List<String> drop() {
        String value = option(DROP, "");
        return value.isEmpty() ? List.of() : list(value);
    }

    OutputFormat format() {
        return OutputFormat.valueOf(option(FORMAT, "avro").toUpperCase(Locale.ROOT));
    }

    String codec() {
        return option(CODEC, format().defaultCodec());
    }

    BadRecordPolicy badRecordPolicy() {
        return BadRecordPolicy.parse(option(ON_BAD_RECORD, "reject"));
    }

    /** {@code --max-rejects}, {@value RejectLimit#DEFAULT} when not given. */
    RejectLimit rejectLimit() {
        return RejectLimit.parse(option(MAX_REJECTS, RejectLimit.DEFAULT));
    }

    /** {@code --max-record-bytes}, when the command line gave it. */
    java.util.OptionalInt maxRecordBytes() {
        String value = options.get(MAX_RECORD_BYTES);
        return value == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(Integer.parseInt(value));
    }

    int sampleRows() {
        return Integer.parseInt(option(SAMPLE_ROWS, String.valueOf(SAMPLE_ROWS_DEFAULT)));
    }

    static String joinList(List<String> values) {
        return String.join(String.valueOf(LIST_SEPARATOR), values);
    }

    static List<String> list(String joined) {
        if (joined.isEmpty()) {
            return List.of("");
        }
        return Arrays.asList(joined.split(String.valueOf(LIST_SEPARATOR), -1));
    }
}
