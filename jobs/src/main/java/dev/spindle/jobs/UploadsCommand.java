package dev.spindle.jobs;

import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.SupportsPendingUploads;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code spindle uploads [--abort] DIR}: the incomplete (multipart) uploads under a directory of a
 * store that has them (S3), which jobs killed before their abort leave behind: invisible, but
 * billed. The next commit to the same output aborts them anyway; this is for outputs no job
 * writes again.
 */
final class UploadsCommand extends SpindleCommand {

    UploadsCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "uploads";
    }

    @Override
    String summary() {
        return "list the pending (incomplete multipart) uploads under an S3 directory; --abort aborts them";
    }

    @Override
    String arguments() {
        return "DIR";
    }

    @Override
    Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("abort")
                        .desc("abort every pending upload under DIR started before now (never while a job writes there)").build())
                .addOption(Option.builder().longOpt("cluster").hasArg().argName("DIR").desc("Hadoop conf dir of the cluster").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException("Expected one directory, e.g. s3://bucket/output");
        }
        String directory = ClusterConnection.qualify(getConf(), args.get(0));
        FileStore store = FileStores.hadoop(getConf());
        if (!(store instanceof SupportsPendingUploads uploads)) {
            out.printf("0 pending uploads under %s (its store has none)%n", directory);
            return ExitCode.OK;
        }
        List<SupportsPendingUploads.Upload> listed = line.hasOption("abort")
                ? uploads.abortPendingUploads(directory, Instant.now())
                : uploads.listPendingUploads(directory);
        for (SupportsPendingUploads.Upload upload : listed) {
            out.printf("%s\t%s\t%s%n", upload.started() == null ? "-" : upload.started(), upload.location(), upload.uploadId());
        }
        out.printf("%d pending uploads %sunder %s%n", listed.size(), line.hasOption("abort") ? "aborted " : "", directory);
        return ExitCode.OK;
    }
}
