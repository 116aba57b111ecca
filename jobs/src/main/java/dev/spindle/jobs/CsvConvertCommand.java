package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.Column;
import dev.spindle.codec.SchemaInferrer;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.commit.WriteMode;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SupportsDirectories;
import dev.spindle.jobs.filter.FilterExpression;
import dev.spindle.yarn.JobClient;
import dev.spindle.yarn.JobHandle;
import dev.spindle.yarn.JobSpec;
import dev.spindle.yarn.YarnAppConfig;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.util.StringUtils;

/** {@code spindle csv-to-avro} and {@code spindle csv-to-parquet}. */
final class CsvConvertCommand extends SpindleCommand {

    private final OutputFormat format;
    /** The input format the command sets ({@code avro-to-parquet}, {@code parquet-to-avro}), or null: {@code --input-format} or detected. */
    private final InputFormat fixedInput;

    CsvConvertCommand(PrintStream out, PrintStream err, OutputFormat format) {
        this(out, err, format, null);
    }

    /** {@code avro-to-parquet} ({@code input} Avro) or {@code parquet-to-avro}: the CSV command with the input format set. */
    CsvConvertCommand(PrintStream out, PrintStream err, OutputFormat format, InputFormat input) {
        super(out, err);
        this.format = format;
        this.fixedInput = input;
    }

    @Override
    String name() {
        return fixedInput == null ? format.command() : fixedInput.optionName() + "-to-" + format.extension();
    }

    @Override
    java.util.List<String> examples() {
        String command = name();
        String out = format == OutputFormat.AVRO ? "taxi-avro" : "taxi-parquet";
        if (fixedInput != null) {
            String in = fixedInput == InputFormat.AVRO ? "taxi-avro" : "taxi-parquet";
            return java.util.List.of(
                    "spindle %s --input /data/%s/ --output /data/%s        # every column, the input's schema".formatted(command, in, out),
                    "spindle %s --input /data/%s/ --output /data/%s --filter 'passenger_count > 3' --select medallion,trip_distance"
                            .formatted(command, in, out));
        }
        return java.util.List.of(
                "spindle %s --input /data/taxi/ --output /data/%s        # every column, schema inferred".formatted(command, out),
                "spindle %s --input 'in/*.csv' --output /data/%s --filter 'passenger_count > 3' --select medallion,trip_distance"
                        .formatted(command, out),
                "spindle %s --cluster /etc/hadoop/conf --queue etl --result-json result.json --input /in --output /out".formatted(command),
                "spindle %s --detach --input s3://raw/taxi/ --output s3://clean/%s   # then: spindle wait APP_ID".formatted(command, out));
    }

    @Override
    String summary() {
        if (fixedInput != null) {
            return "convert %s files into a %s dataset: filter, project, commit all parts at once (%s --input-format %s)"
                    .formatted(fixedInput == InputFormat.AVRO ? "Avro" : "Parquet", format.extension(), format.command(), fixedInput.optionName());
        }
        return "convert CSV (or Avro or Parquet) files on HDFS or local disk into a typed " + format.extension()
                + " dataset: filter, project, commit all parts at once";
    }

    @Override
    Options options() {
        // the CSV dialect means nothing to an Avro or Parquet input: not offered by the commands that set one
        Options options = fixedInput == null ? CsvCommandOptions.addDialectOptions(new Options()) : new Options();
        if (fixedInput == null) {
            options.addOption(Option.builder().longOpt("input-format").hasArg().argName("FORMAT")
                    .desc("csv, avro or parquet (default: detected from every file's first bytes, Obj\\x01 or PAR1, and its .avro/.parquet name; "
                            + "a mix is an error). With avro or parquet the files' own schema is used: --schema and the CSV dialect options do not apply").build());
        }
        return options
                .addOption(Option.builder().longOpt("input").hasArgs().argName("PATH").desc("input files, directories or globs (required; repeatable)").build())
                .addOption(Option.builder().longOpt("output").hasArg().argName("DIR").desc("output directory (required)").build())
                .addOption(Option.builder().longOpt("filter").hasArg().argName("EXPR")
                        .desc("keep rows where EXPR is true: comparisons = != < <= > >= with literals, AND, OR, NOT, (), IS [NOT] NULL; strings in single quotes").build())
                .addOption(Option.builder().longOpt("select").hasArg().argName("COLS").desc("comma-separated columns to write, in this order").build())
                .addOption(Option.builder().longOpt("drop").hasArg().argName("COLS").desc("comma-separated columns not to write").build())
                .addOption(Option.builder().longOpt("partition-by").hasArg().argName("COLS")
                        .desc("comma-separated input columns whose values name Hive-style directories col=value/ below the output; left out of the records (CSV input only)").build())
                .addOption(Option.builder().longOpt("hive-ddl").hasArg().argName("FILE")
                        .desc("after the job succeeds, write its CREATE EXTERNAL TABLE statement (and MSCK REPAIR TABLE when partitioned) to this local file").build())
                .addOption(Option.builder().longOpt("block-size").hasArg().argName("BYTES").desc("bytes per block, e.g. 134217728 or 128m (default: the storage block size)").build())
                .addOption(Option.builder().longOpt("containers").hasArg().argName("N")
                        .desc("worker containers, at most (default " + JobSpec.CONTAINERS_DEFAULT + ")").build())
                .addOption(Option.builder().longOpt("worker-cores").hasArg().argName("K")
                        .desc("vcores of each worker container, which runs that many blocks at once, one JVM for all (default "
                                + YarnAppConfig.WORKER_VCORES_DEFAULT + "; " + YarnAppConfig.WORKER_VCORES + ")").build())
                .addOption(Option.builder().longOpt("cluster").hasArg().argName("DIR").desc("Hadoop conf dir of the cluster (default: HADOOP_CONF_DIR, else an embedded cluster)").build())
                .addOption(Option.builder().longOpt("write-mode").hasArg().argName("MODE").desc("when the output exists: error (default); overwrite (replace it); append (add parts to the committed dataset, same format, schema and partition columns); overwrite-partitions (replace only the partitions this job writes; without --partition-by into an unpartitioned output: overwrite)").build())
                .addOption(Option.builder().longOpt("on-bad-record").hasArg().argName("POLICY").desc("reject (default: to OUTPUT/_rejects/), fail or skip").build())
                .addOption(Option.builder().longOpt("max-record-bytes").hasArg().argName("BYTES")
                        .desc("longest record, e.g. 1m; a longer one is a bad record (record-too-long), a longer header an error (default 8m)").build())
                .addOption(Option.builder().longOpt("max-rejects").hasArg().argName("LIMIT")
                        .desc("fail the job, committing nothing, when more records than this are bad (rejected or skipped): a count (100), a share of the records read (0.5%) or unlimited (default " + RejectLimit.DEFAULT + ")").build())
                .addOption(Option.builder().longOpt("codec").hasArg().argName("CODEC").desc(format == OutputFormat.AVRO
                        ? "null, deflate (default), snappy or zstandard" : "snappy (default), zstd, gzip or uncompressed").build())
                .addOption(Option.builder().longOpt("schema").hasArg().argName("FILE").desc("Avro schema (.avsc) to use instead of inferring one (CSV input only)").build())
                .addOption(Option.builder().longOpt("sample-rows").hasArg().argName("N").desc("rows sampled for schema inference (default 20480)").build())
                .addOption(Option.builder().longOpt("max-attempts").hasArg().argName("N").desc("attempts per block before the job fails (default 3)").build())
                .addOption(Option.builder().longOpt("no-uber")
                        .desc("run the blocks in worker containers even when the job is small enough to run inside the ApplicationMaster "
                                + "(default: at most " + YarnAppConfig.UBER_MAX_BLOCKS_DEFAULT + " blocks and "
                                + (YarnAppConfig.UBER_MAX_BYTES_DEFAULT >> 20) + " MiB run there; spindle.uber.max-blocks, spindle.uber.max-bytes)").build())
                .addOption(Option.builder().longOpt("name").hasArg().argName("NAME").desc("application name in YARN (default: spindle <command> <output>)").build())
                .addOption(Option.builder().longOpt("queue").hasArg().argName("QUEUE").desc("YARN queue (default: spindle.yarn.queue, else mapreduce.job.queuename, else default)").build())
                .addOption(Option.builder().longOpt("tags").hasArg().argName("TAGS").desc("comma-separated YARN application tags (default: spindle.yarn.tags, else mapreduce.job.tags)").build())
                .addOption(Option.builder().longOpt("result-json").hasArg().argName("FILE")
                        .desc("write how the command ended (state, exit code, application id, counters, timings, output) to this local file, on failure too").build())
                .addOption(Option.builder().longOpt("quiet").desc("no progress bar or lines").build())
                .addOption(Option.builder().longOpt("detach")
                        .desc("print the application id and exit 0 once submitted; follow the job with spindle wait APP_ID").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        ResultFile result = new ResultFile(Optional.ofNullable(line.getOptionValue("result-json")).map(File::new), name(), format.extension());
        result.locations(Optional.ofNullable(line.getOptionValues("input")).map(List::of).orElse(List.of()),
                Optional.ofNullable(line.getOptionValue("output")).orElse(""));
        ExitCode code;
        try {
            code = execute(line, result);
        } catch (UsageException e) {
            result.failed(e.getMessage());
            result.write(ExitCode.USAGE);
            throw e;
        } catch (Exception e) {
            result.failed(SpindleCli.describe(e));
            result.write(ExitCode.ENVIRONMENT);
            throw e;
        }
        result.write(code);
        return code;
    }

    private ExitCode execute(CommandLine line, ResultFile resultFile) throws Exception {
        if (!line.getArgList().isEmpty()) {
            throw new UsageException("Unexpected argument '%s'; inputs go after --input".formatted(line.getArgList().get(0)));
        }
        String[] inputs = line.getOptionValues("input");
        if (inputs == null || inputs.length == 0) {
            throw new UsageException("Missing required option --input");
        }
        String output = required(line, "output");
        String hiveDdl = line.getOptionValue("hive-ddl");
        Integer workerCores = line.hasOption("worker-cores") ? intOption(line, "worker-cores", YarnAppConfig.WORKER_VCORES_DEFAULT, 1) : null;
        if (hiveDdl != null && line.hasOption("detach")) {
            throw new UsageException("--hive-ddl writes the table of the committed output: not with --detach");
        }
        long blockSizeOption = blockSize(line.getOptionValue("block-size"));
        JobSpec.Builder spec = JobSpec.builder(name(), CsvConversionTask.class)
                .blockSize(blockSizeOption)
                .containers(intOption(line, "containers", JobSpec.CONTAINERS_DEFAULT, 1))
                .maxAttempts(intOption(line, "max-attempts", 3, 1))
                .writeMode(writeMode(line.getOptionValue("write-mode", "error")));
        CsvJobSpec.Builder task = CsvCommandOptions.dialect(line, CsvJobSpec.builder())
                .format(format)
                .codec(codec(line.getOptionValue("codec", format.defaultCodec())))
                .onBadRecord(BadRecordPolicy.parse(line.getOptionValue("on-bad-record", "reject")))
                .maxRejects(RejectLimit.parse(line.getOptionValue("max-rejects", RejectLimit.DEFAULT)))
                .sampleRows(intOption(line, "sample-rows", CsvJobSpec.SAMPLE_ROWS_DEFAULT, 1));
        if (line.hasOption("max-record-bytes")) {
            task.maxRecordBytes(maxRecordBytes(line.getOptionValue("max-record-bytes")));
        }
        List<String> select = columns(line.getOptionValue("select"));
        List<String> drop = columns(line.getOptionValue("drop"));
        if (!select.isEmpty() && !drop.isEmpty()) {
            throw new UsageException("Use --select or --drop, not both");
        }
        List<String> partitionBy = columns(line.getOptionValue("partition-by"));
        task.select(select).drop(drop).partitionBy(partitionBy);
        FilterExpression filter = null;
        if (line.hasOption("filter")) {
            try {
                filter = FilterExpression.parse(line.getOptionValue("filter"));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            task.filter(filter);
        }
        TableSchema givenSchema = null;
        if (line.hasOption("schema")) {
            String text = Files.readString(new File(line.getOptionValue("schema")).toPath(), UTF_8);
            Schema schema;
            try {
                schema = new Schema.Parser().parse(text);
                givenSchema = TableSchema.fromAvroSchema(schema);
                for (Column column : givenSchema.columns()) {
                    if (!column.type().isCsvType()) {
                        throw new IllegalArgumentException(BatchBuilder.csvTypesOnly(column));
                    }
                }
            } catch (RuntimeException e) {
                throw new UsageException("Cannot use schema %s: %s".formatted(line.getOptionValue("schema"), e.getMessage()));
            }
            task.schema(schema);
        }
        InputFormat declared = fixedInput != null ? fixedInput
                : line.hasOption("input-format") ? InputFormat.parse(line.getOptionValue("input-format")) : null;
        if (declared != null) {
            task.inputFormat(declared);
        }
        CsvJobSpec csv = build(task);
        spec.task(csv);

        if (getConf().getBoolean(ClusterConnection.EMBEDDED_KEY, false)) {
            checkLocalInputs(inputs);
        }
        try (ClusterConnection cluster = ClusterConnection.connect(getConf(), err)) {
            List<String> qualifiedInputs = new ArrayList<>();
            for (String input : inputs) {
                qualifiedInputs.add(cluster.qualify(input));
            }
            String qualifiedOutput = cluster.qualify(output);
            // what the ResourceManager shows: on the connection's conf, which an embedded cluster builds anew
            Optional.ofNullable(line.getOptionValue("name")).ifPresent(v -> cluster.conf().set(YarnAppConfig.NAME, v));
            Optional.ofNullable(line.getOptionValue("queue")).ifPresent(v -> cluster.conf().set(YarnAppConfig.QUEUE, v));
            Optional.ofNullable(line.getOptionValue("tags")).ifPresent(v -> cluster.conf().set(YarnAppConfig.TAGS, v));
            if (line.hasOption("no-uber")) {
                cluster.conf().setBoolean(YarnAppConfig.UBER, false);
            }
            if (workerCores != null) {
                cluster.conf().setInt(YarnAppConfig.WORKER_VCORES, workerCores);
            }
            spec.inputs(qualifiedInputs).output(qualifiedOutput);
            FileStore store = FileStores.hadoop(cluster.conf());
            List<FileEntry> files = listInputs(store, qualifiedInputs);
            if (YarnAppConfig.from(cluster.conf()).amOnClientCompiler(files.size(), files.stream().mapToLong(FileEntry::length).sum(),
                    blockSizeOption)) {
                cluster.conf().set(YarnAppConfig.AM_JVM_OPTIONS, YarnAppConfig.CLIENT_COMPILER_ONLY);
            }
            FileEntry first = files.stream().filter(file -> file.length() > 0).findFirst()
                    .orElseThrow(() -> new UsageException("Every input file is empty: " + String.join(", ", qualifiedInputs)));
            InputFormat inputFormat = InputFormat.of(store, files, declared);
            List<String> columns;
            TableSchema containerTable = null;
            if (inputFormat == InputFormat.CSV) {
                csv = CsvCommandOptions.withPreamble(line, csv, store, first, InputCodecs.from(cluster.conf()), err);
                // read even with --schema: the sample check refuses input that is not CSV at all
                List<String> headerColumns = HeaderReader.columns(store, first, csv, CsvConfig.from(cluster.conf(), csv), InputCodecs.from(cluster.conf()));
                columns = givenSchema != null ? givenSchema.names() : headerColumns;
            } else {
                if (givenSchema != null) {
                    throw new UsageException("--schema is for CSV input; %s files carry their own schema: %s".formatted(inputFormat.optionName(), first.location()));
                }
                csv = build(task.inputFormat(inputFormat));
                TableSchema fileTable;
                try {
                    fileTable = TableSchema.fromAvroSchema(ContainerSchemas.of(store, inputFormat, first.location()));
                } catch (dev.spindle.yarn.BadInputException | IllegalArgumentException e) {
                    throw new UsageException("Cannot convert %s: %s".formatted(first.location(), e.getMessage()));
                }
                columns = fileTable.names();
                containerTable = fileTable;
            }
            spec.task(csv);
            JobSpec built = spec.build();
            checkColumns(columns, filter, select, drop, partitionBy);
            if (filter != null && containerTable != null) {
                checkFilterTypes(filter, containerTable, first.location());
            }
            if (containerTable != null) {
                for (String column : partitionBy) {
                    if (containerTable.column(containerTable.indexOf(column)).type() == dev.spindle.codec.ColumnType.BYTES) {
                        throw new UsageException("--partition-by cannot use the bytes column '%s' of %s: a directory name needs text"
                                .formatted(column, first.location()));
                    }
                }
            }
            checkOutput(store, qualifiedOutput, built.writeMode());
            if (built.writeMode() == WriteMode.APPEND || built.writeMode() == WriteMode.OVERWRITE_PARTITIONS) {
                CsvJobSpec checked = AppendCheck.check(store, cluster.conf(), qualifiedOutput, built.writeMode(), csv, qualifiedInputs,
                        built.blockSize());
                if (checked != csv) {
                    built = spec.task(checked).build();
                }
            }
            resultFile.locations(built.inputs(), built.output());
            ExitCode code = run(cluster, built, line.hasOption("quiet"), line.hasOption("detach"), resultFile);
            if (code == ExitCode.OK && hiveDdl != null) {
                writeHiveDdl(store, built.output(), hiveDdl);
            }
            return code;
        }
    }

    private ExitCode run(ClusterConnection cluster, JobSpec spec, boolean quiet, boolean detach, ResultFile resultFile)
            throws IOException, InterruptedException {
        JobHandle handle;
        try {
            handle = new JobClient(cluster.conf()).submit(spec);
        } catch (IOException e) {
            err.printf("spindle %s: cannot submit the job: %s%n", name(), SpindleCli.describe(e));
            resultFile.failed("cannot submit the job: " + SpindleCli.describe(e));
            return ExitCode.ENVIRONMENT;
        }
        try (handle) {
            resultFile.submitted(spec, handle.applicationId().toString());
            err.printf("Submitted %s as %s%n", name(), handle.applicationId());
            // the second line, as MapReduce prints it: where to watch the job in the ResourceManager's UI
            err.printf("Tracking URL: %s%n", handle.trackingUrl());
            if (detach) {
                // the job goes on without us: spindle wait/status/kill APP_ID follow it
                out.println(handle.applicationId());
                return ExitCode.OK;
            }
            return new JobFollower(out, err).follow(name(), handle, quiet, resultFile);
        }
    }

    /** {@code --hive-ddl}: the committed output's table, named as its records, from its manifest. */
    private void writeHiveDdl(FileStore store, String output, String file) throws IOException {
        dev.spindle.io.commit.Manifest manifest = dev.spindle.io.commit.ManifestCodec.read(store, output)
                .orElseThrow(() -> new IOException("The job succeeded but its manifest is missing: " + output));
        String table = manifest.schema().path("name").asText();
        Files.writeString(new File(file).toPath(), HiveDdl.statements(manifest, output, table), UTF_8);
        err.printf("Wrote the Hive table %s to %s%n", table, file);
    }

    /**
     * Every input file, in the order of the inputs: the first non-empty one's header names the
     * columns (and its start may hold a preamble); all are checked for one input format.
     */
    private static List<FileEntry> listInputs(FileStore store, List<String> inputs) throws IOException {
        List<FileEntry> files = new ArrayList<>();
        for (String input : inputs) {
            try {
                files.addAll(store.list(input));
            } catch (FileNotFoundException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return files;
    }

    private static CsvJobSpec build(CsvJobSpec.Builder task) {
        try {
            return task.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Without a cluster, inputs are local files: a missing one is an error before a cluster starts. */
    private void checkLocalInputs(String[] inputs) throws IOException {
        FileStore local = FileStores.hadoop(getConf());
        for (String input : inputs) {
            String qualified = ClusterConnection.qualify(getConf(), input);
            if (qualified.startsWith("file:")) {
                try {
                    local.list(qualified);
                } catch (FileNotFoundException e) {
                    throw new UsageException(e.getMessage());
                }
            }
        }
    }

    /**
     * The filter's comparisons against the types of an Avro or Parquet input's columns: a column
     * of a type filters cannot compare (a decimal, a float, bytes) is a usage error naming it, before the job starts.
     */
    static void checkFilterTypes(FilterExpression filter, TableSchema table, String location) {
        for (String name : filter.columns()) {
            int index = table.indexOf(name);
            dev.spindle.codec.ColumnType type = index < 0 ? null : table.column(index).type();
            if (type == dev.spindle.codec.ColumnType.DECIMAL || type == dev.spindle.codec.ColumnType.FLOAT || type == dev.spindle.codec.ColumnType.BYTES) {
                throw new UsageException("--filter cannot compare column '%s' of %s: it is %s, and filters compare only boolean, int, long, double, date, timestamp and string columns"
                        .formatted(name, location, table.column(index).typeDescription()));
            }
        }
        try {
            filter.bind(table.toArrowSchema());
        } catch (IllegalArgumentException e) {
            throw new UsageException("%s (the columns of %s)".formatted(e.getMessage(), location));
        }
    }

    private static void checkColumns(List<String> columns, FilterExpression filter, List<String> select, List<String> drop,
            List<String> partitionBy) {
        try {
            if (filter != null) {
                filter.checkColumns(columns);
            }
            Projection.checkKnown(select, columns, "--select");
            Projection.checkKnown(drop, columns, "--drop");
            Projection.checkKnown(partitionBy, columns, "--partition-by");
            List<String> data = new ArrayList<>(select.isEmpty() ? columns : select);
            data.removeAll(drop);
            List<String> written = List.copyOf(data);
            data.removeAll(partitionBy);
            if (!partitionBy.isEmpty() && data.isEmpty()) {
                throw new IllegalArgumentException("No column is left for the records: --partition-by takes every written column (%s)"
                        .formatted(String.join(", ", written)));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** As the committer's setup: an output holding only the staging of dead jobs ({@code _temporary}) is no output. */
    private static void checkOutput(FileStore store, String output, WriteMode writeMode) throws IOException {
        if (writeMode == WriteMode.ERROR && store.exists(output) && !holdsOnlyStaging(store, output)) {
            throw new UsageException("Output exists: %s (use --write-mode overwrite to replace it, or append to add to it)".formatted(output));
        }
    }

    private static boolean holdsOnlyStaging(FileStore store, String output) throws IOException {
        if (!(store instanceof SupportsDirectories directories)) {
            return false;
        }
        try {
            List<String> children = directories.listChildren(output);
            return !children.isEmpty() && children.stream().allMatch(child -> child.endsWith("/" + PartCommitter.TEMPORARY));
        } catch (FileNotFoundException e) {
            return false; // a file, not a directory
        }
    }

    static long blockSize(String text) {
        return text == null ? 0 : bytes("--block-size", text, 1024, Long.MAX_VALUE, "134217728, 64m or 1g");
    }

    static int maxRecordBytes(String text) {
        return (int) bytes("--max-record-bytes", text, 16, Integer.MAX_VALUE - 1, "1048576, 512k or 8m");
    }

    /** A byte count with an optional k/m/g/... suffix, as Hadoop reads sizes, in {@code [min, max]}. */
    private static long bytes(String option, String text, long min, long max, String examples) {
        long bytes;
        try {
            bytes = StringUtils.TraditionalBinaryPrefix.string2long(text.trim());
        } catch (IllegalArgumentException e) {
            throw new UsageException("%s takes bytes, e.g. %s; got '%s'".formatted(option, examples, text));
        }
        if (bytes < min) {
            throw new UsageException("%s must be at least %d bytes, got %d".formatted(option, min, bytes));
        }
        if (bytes > max) {
            throw new UsageException("%s must be at most %d bytes, got %d".formatted(option, max, bytes));
        }
        return bytes;
    }

    private static WriteMode writeMode(String text) {
        String mode = text.trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "error" -> WriteMode.ERROR;
            case "overwrite" -> WriteMode.OVERWRITE;
            case "append" -> WriteMode.APPEND;
            case "overwrite-partitions" -> WriteMode.OVERWRITE_PARTITIONS;
            default -> throw new UsageException("Unknown --write-mode '%s'; valid: error, overwrite, append, overwrite-partitions".formatted(text));
        };
    }

    private String codec(String text) {
        String codec = text.trim().toLowerCase(Locale.ROOT);
        List<String> valid = format == OutputFormat.AVRO
                ? List.of("null", "deflate", "snappy", "zstandard")
                : List.of("snappy", "zstd", "gzip", "uncompressed");
        if (!valid.contains(codec)) {
            throw new UsageException("Unknown --codec '%s' for %s; valid: %s".formatted(text, format.extension(), String.join(", ", valid)));
        }
        return codec;
    }

    private static List<String> columns(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> columns = new ArrayList<>();
        for (String column : text.split(",")) {
            if (!column.isBlank()) {
                columns.add(column.trim());
            }
        }
        return columns;
    }
}
