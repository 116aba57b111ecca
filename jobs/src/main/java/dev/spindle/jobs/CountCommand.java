package dev.spindle.jobs;

import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code spindle count PATH}: the number of records. From the manifest of a committed output
 * (no file is opened), else counted from the files (Avro block headers, Parquet footers);
 * {@code --scan} counts a committed output's files too.
 */
final class CountCommand extends DatasetCommand {

    CountCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "count";
    }

    @Override
    java.util.List<String> examples() {
        return java.util.List.of("spindle count /data/taxi-avro           # from the manifest", "spindle count --scan /data/taxi-avro    # counted from the files");
    }

    @Override
    String summary() {
        return "print the number of records of a Spindle output, an Avro/Parquet directory or file"
                + " (from the manifest when there is one; --scan counts the files)";
    }

    @Override
    Options datasetOptions() {
        return new Options().addOption(Option.builder().longOpt("scan")
                .desc("count the records in the files even when a manifest lists them").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        Dataset dataset = dataset(line);
        long rows = 0;
        if (dataset.manifest().isPresent() && !line.hasOption("scan")) {
            rows = dataset.manifest().get().parts().stream().mapToLong(dev.spindle.io.commit.Manifest.Part::rows).sum();
        } else {
            for (Dataset.Part part : dataset.parts()) {
                rows += dataset.countRows(part);
            }
        }
        out.println(rows);
        return ExitCode.OK;
    }
}
