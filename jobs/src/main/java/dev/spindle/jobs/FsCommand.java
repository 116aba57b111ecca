package dev.spindle.jobs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.fs.FsShell;

/** {@code spindle fs [--cluster DIR] -put|-ls|-cat ...}: Hadoop's FsShell on the cluster. */
final class FsCommand extends SpindleCommand {

    FsCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "fs";
    }

    @Override
    String summary() {
        return "Hadoop's file system shell (-ls, -put, -cat, ...) on the configured cluster";
    }

    @Override
    Options options() {
        return new Options();
    }

    @Override
    public int run(String[] args) throws Exception {
        ClusterConnection.markEmbedded(getConf());
        List<String> shellArgs = withoutClusterOption(args);
        if (shellArgs.isEmpty() || shellArgs.get(0).equals("--help")) {
            out.println("usage: spindle fs [--cluster DIR] <FsShell command>, e.g. spindle fs --cluster DIR -put data.csv /data/");
            return new FsShell(getConf()).run(new String[] {"-help"});
        }
        if (getConf().getBoolean(ClusterConnection.EMBEDDED_KEY, false)) {
            throw new UsageException("fs needs a running cluster: start one with 'spindle cluster start', then pass --cluster DIR/conf or set HADOOP_CONF_DIR");
        }
        FsShell shell = new FsShell(getConf());
        try {
            return shell.run(shellArgs.toArray(new String[0]));
        } finally {
            shell.close();
        }
    }

    @Override
    ExitCode execute(CommandLine line) {
        throw new IllegalStateException("fs passes its arguments to FsShell");
    }

    /**
     * The arguments for a wrapped Hadoop shell (FsShell, CredentialShell): everything but
     * {@code --cluster DIR}, which {@link SpindleCli} already read into the configuration.
     */
    static List<String> withoutClusterOption(String[] args) {
        List<String> shellArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cluster")) {
                i++;
            } else if (!args[i].startsWith("--cluster=")) {
                shellArgs.add(args[i]);
            }
        }
        return shellArgs;
    }
}
