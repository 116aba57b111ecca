package dev.spindle.jobs;

import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code spindle head PATH [-n N]}: prints the first records of a committed output, an Avro or
 * Parquet directory or one file, as JSON lines.
 */
final class HeadCommand extends DatasetCommand {

    private final RecordJson renderer = new RecordJson();

    HeadCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "head";
    }

    @Override
    java.util.List<String> examples() {
        return java.util.List.of("spindle head -n 5 /data/taxi-avro", "spindle head s3://clean/taxi-parquet/part-00000.parquet");
    }

    @Override
    String summary() {
        return "print the first records of a Spindle output, an Avro/Parquet directory or file, as JSON lines";
    }

    @Override
    Options datasetOptions() {
        return new Options()
                .addOption(Option.builder("n").longOpt("records").hasArg().argName("N").desc("how many records (default 10)").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        int limit = intOption(line, "records", 10, 0);
        Dataset dataset = dataset(line);
        if (limit == 0) {
            return ExitCode.OK;
        }
        int[] printed = {0};
        dataset.forEachRecord(record -> {
            out.println(renderer.render(record));
            return ++printed[0] < limit;
        });
        return ExitCode.OK;
    }
}
