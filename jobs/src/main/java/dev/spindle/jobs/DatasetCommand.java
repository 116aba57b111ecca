package dev.spindle.jobs;

import dev.spindle.io.store.FileStores;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * A command that reads one dataset: a committed Spindle output, a directory of Avro or Parquet
 * files, or one file, on HDFS, S3 or local disk ({@link Dataset}).
 */
abstract class DatasetCommand extends SpindleCommand {

    DatasetCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String arguments() {
        return "PATH";
    }

    /** The command's own options; {@code --cluster} is added here. */
    abstract Options datasetOptions();

    @Override
    final Options options() {
        return datasetOptions()
                .addOption(Option.builder().longOpt("cluster").hasArg().argName("DIR").desc("Hadoop conf dir of the cluster").build());
    }

    /** The dataset the single argument names. */
    Dataset dataset(CommandLine line) throws IOException {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException("Expected one path (a Spindle output, a directory of Avro or Parquet files, or one file)");
        }
        String location = ClusterConnection.qualify(getConf(), args.get(0));
        return Dataset.open(FileStores.hadoop(getConf()), location);
    }
}
