package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.spindle.codec.Column;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.DialectSniffer;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.split.BlockPlanner;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.split.InputEncodings;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code spindle infer-schema INPUT... [--avsc-out FILE]}: sniffs the dialect, infers the Avro
 * schema from a bounded sample across the inputs, prints both with the header-to-name mapping,
 * and writes the schema for editing and for {@code --schema FILE}. Reads directly, no YARN job.
 */
final class InferSchemaCommand extends SpindleCommand {

    /** Bytes of the first file the dialect is sniffed from. */
    private static final int SNIFF_BYTES = 64 << 10;
    private static final String RECORD_NAME_DEFAULT = "record";

    InferSchemaCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "infer-schema";
    }

    @Override
    java.util.List<String> examples() {
        return java.util.List.of(
                "spindle infer-schema data/trip_data.csv                       # sniff the dialect, print the schema",
                "spindle infer-schema --delimiter ';' --avsc-out trips.avsc in/*.csv   # then: csv-to-avro --schema trips.avsc");
    }

    @Override
    String summary() {
        return "detect the CSV dialect and infer the Avro schema from a sample; save it for --schema";
    }

    @Override
    String arguments() {
        return "INPUT...";
    }

    @Override
    Options options() {
        return CsvCommandOptions.addDialectOptions(new Options())
                .addOption(Option.builder().longOpt("avsc-out").hasArg().argName("FILE").desc("also write the schema to this local file").build())
                .addOption(Option.builder().longOpt("sample-rows").hasArg().argName("N").desc("rows sampled across the inputs (default 20480)").build())
                .addOption(Option.builder().longOpt("cluster").hasArg().argName("DIR").desc("Hadoop conf dir, to read hdfs:// inputs").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        List<String> inputs = line.getArgList();
        if (inputs.isEmpty()) {
            throw new UsageException("Expected at least one input file, directory or glob");
        }
        FileStore store = FileStores.hadoop(getConf());
        List<FileEntry> files = new ArrayList<>();
        for (String input : inputs) {
            try {
                files.addAll(store.list(ClusterConnection.qualify(getConf(), input)));
            } catch (FileNotFoundException e) {
                throw new UsageException(e.getMessage());
            }
        }
        FileEntry first = files.stream().filter(f -> f.length() > 0).findFirst()
                .orElseThrow(() -> new UsageException("Every input file is empty: " + String.join(", ", inputs)));

        CsvJobSpec.Builder builder = CsvCommandOptions.dialect(line, CsvJobSpec.builder())
                .sampleRows(intOption(line, "sample-rows", CsvJobSpec.SAMPLE_ROWS_DEFAULT, 1));
        String dialectSource = "from the command line";
        String lineEnding = "";
        CsvJobSpec options;
        if (!CsvCommandOptions.setsDialect(line)) {
            DialectSniffer.Result sniffed = sniff(store, first, InputCodecs.from(getConf()), builder.build().inputEncodings(), 0);
            builder.dialect(sniffedDialect(builder.build().dialect(), sniffed.dialect()));
            options = CsvCommandOptions.withPreamble(line, builder.build(), store, first, InputCodecs.from(getConf()), err);
            int skip = options.skipLines();
            if (skip > 0) {
                // the first sniff saw the preamble too: sniff again from the line after it
                sniffed = sniff(store, first, InputCodecs.from(getConf()), builder.build().inputEncodings(), skip);
                options = builder.dialect(sniffedDialect(builder.build().dialect(), sniffed.dialect())).skipLines(skip).build();
            }
            dialectSource = "sniffed from %,d records of %s".formatted(sniffed.recordsSampled(), first.location());
            lineEnding = sniffed.lineEnding().name();
        } else {
            options = CsvCommandOptions.withPreamble(line, builder.build(), store, first, InputCodecs.from(getConf()), err);
        }

        // refuses input that is not CSV in this dialect and encoding, as csv-to-avro does
        HeaderReader.columns(store, first, options, CsvConfig.from(getConf(), options), InputCodecs.from(getConf()));
        long started = System.nanoTime();
        TableSchema schema = new SchemaSampler(store, options, CsvConfig.from(getConf(), options), InputCodecs.from(getConf()))
                .infer(BlockPlanner.builder().codecs(getConf()).encodings(options.inputEncodings(), store).build().plan(files).blocks());
        double seconds = (System.nanoTime() - started) / 1e9;
        String recordName = files.isEmpty() ? RECORD_NAME_DEFAULT : RecordNames.fromInputs(files);
        String avsc = schema.toAvroSchema(recordName).toString(true);

        CsvDialect used = options.dialect();
        out.printf("Dialect (%s):%n", dialectSource);
        out.printf("  delimiter %s, quote %s, escape %s, header %s%s%n", show((char) used.delimiter()), show((char) used.quote()),
                used.escapeMode().name().toLowerCase(java.util.Locale.ROOT), used.headerPresent() ? "yes" : "no",
                lineEnding.isEmpty() ? "" : ", line ending " + lineEnding);
        if (options.skipLines() > 0) {
            out.printf("  %d line%s before the header skipped (--skip-lines %d)%n", options.skipLines(), options.skipLines() == 1 ? "" : "s",
                    options.skipLines());
        }
        out.printf("Columns (%d, inferred in %.2f s from a sample of up to %,d rows of %s):%n", schema.size(), seconds, options.sampleRows(), describeFiles(files));
        for (Column column : schema.columns()) {
            String mapping = column.originalName().equals(column.name()) ? "" : "   <- \"" + column.originalName() + "\"";
            out.printf("  %-24s %s%s%s%n", column.name(), column.typeDescription(),
                    column.nullable() ? " (nullable)" : "", mapping);
        }
        out.println("Avro schema:");
        out.println(avsc);
        if (line.hasOption("avsc-out")) {
            File file = new File(line.getOptionValue("avsc-out"));
            Files.writeString(file.toPath(), avsc + "\n", UTF_8);
            String flags = (CsvCommandOptions.flags(used) + (options.skipLines() > 0 ? " --skip-lines " + options.skipLines() : "")).strip();
            out.printf("Wrote %s; use it with: spindle csv-to-avro %s--schema %s ...%n", file, flags.isEmpty() ? "" : flags + " ", file);
        }
        return ExitCode.OK;
    }

    /** The dialect of the command line with what sniffing found: delimiter, quote, escape and header. */
    private static CsvDialect sniffedDialect(CsvDialect base, CsvDialect found) {
        CsvDialect.Builder dialect = base.toBuilder()
                .delimiter((char) found.delimiter())
                .quote((char) found.quote())
                .escapeMode(found.escapeMode());
        if (found.headerPresent()) {
            dialect.withHeader();
        } else {
            dialect.withoutHeader();
        }
        return dialect.build();
    }

    /**
     * Sniffs the first {@value #SNIFF_BYTES} bytes of the file after its first {@code skipLines}
     * lines, decompressed if it is compressed.
     */
    private static DialectSniffer.Result sniff(FileStore store, FileEntry file, InputCodecs codecs, InputEncodings encodings,
            int skipLines) throws Exception {
        Preamble.FileStart start = Preamble.readStart(store, file, codecs, encodings, SNIFF_BYTES);
        byte[] sample = start.bytes();
        int length = start.length();
        boolean whole = start.whole();
        int from = 0;
        for (int skipped = 0; skipped < skipLines && from < length; from++) {
            if (sample[from] == '\n' || (sample[from] == '\r' && (from + 1 == length || sample[from + 1] != '\n'))) {
                skipped++;
            }
        }
        try {
            return DialectSniffer.sniff(sample, from, length - from, whole ? DialectSniffer.SampleExtent.WHOLE_FILE : DialectSniffer.SampleExtent.PREFIX);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + ": " + file.location());
        }
    }

    private static String show(char c) {
        return c == '\t' ? "tab" : "'" + c + "'";
    }

    private static String describeFiles(List<FileEntry> files) {
        long bytes = files.stream().mapToLong(FileEntry::length).sum();
        return files.size() == 1 ? "%,d bytes".formatted(bytes) : "%d files, %,d bytes".formatted(files.size(), bytes);
    }
}
