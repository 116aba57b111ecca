package dev.spindle.jobs;

import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code spindle schema PATH}: the Avro schema (pretty JSON) of a Spindle output, an Avro or
 * Parquet directory or file; {@code --parquet} prints the Parquet message type instead.
 */
final class SchemaCommand extends DatasetCommand {

    SchemaCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "schema";
    }

    @Override
    java.util.List<String> examples() {
        return java.util.List.of("spindle schema /data/taxi-avro > taxi.avsc", "spindle schema --parquet /data/taxi-parquet");
    }

    @Override
    String summary() {
        return "print the Avro schema of a Spindle output, an Avro/Parquet directory or file (--parquet: the Parquet message type)";
    }

    @Override
    Options datasetOptions() {
        return new Options().addOption(Option.builder().longOpt("parquet")
                .desc("print the Parquet message type (a Parquet file's footer; for Avro, as parquet-avro maps the schema)").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        Dataset dataset = dataset(line);
        out.println(line.hasOption("parquet") ? dataset.parquetSchema().toString() : dataset.schema().toString(true));
        return ExitCode.OK;
    }
}
