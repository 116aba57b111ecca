package dev.spindle.jobs;

import dev.spindle.yarn.JobClient;
import dev.spindle.yarn.JobHandle;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;

/**
 * {@code spindle wait APPLICATION_ID}: re-attaches to a running job (after {@code --detach}, or
 * when its driver died) and ends as its driver would have: summary and the job's exit code;
 * Ctrl-C or SIGTERM kills the job, as on the driver.
 */
final class WaitCommand extends SpindleCommand {

    WaitCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "wait";
    }

    @Override
    java.util.List<String> examples() {
        return java.util.List.of("spindle wait application_1712345678901_0042; echo \"exit $?\"");
    }

    @Override
    String summary() {
        return "re-attach to a job until it ends; exits with its code, as its driver would (Ctrl-C kills it)";
    }

    @Override
    String arguments() {
        return "APPLICATION_ID";
    }

    @Override
    Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("cluster").hasArg().argName("DIR").desc("Hadoop conf dir of the cluster").build())
                .addOption(Option.builder().longOpt("quiet").desc("no progress lines").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException("Expected one application id, e.g. application_1795225647249_0001");
        }
        if (getConf().getBoolean(ClusterConnection.EMBEDDED_KEY, false)) {
            throw new UsageException("wait needs a cluster: pass --cluster DIR or set HADOOP_CONF_DIR");
        }
        try {
            ApplicationId.fromString(args.get(0));
        } catch (IllegalArgumentException e) {
            throw new UsageException("Not an application id: '" + args.get(0) + "'");
        }
        JobHandle handle;
        try {
            handle = new JobClient(getConf()).attach(args.get(0));
        } catch (IOException e) {
            if (e.getCause() instanceof ApplicationNotFoundException) {
                throw new UsageException("No such application: " + args.get(0));
            }
            throw new IOException("Cannot reach the ResourceManager at %s: %s".formatted(
                    ApplicationCommand.resourceManager(getConf()), SpindleCli.describe(e)), e);
        }
        try (handle) {
            err.printf("Waiting for %s%n", handle.applicationId());
            return new JobFollower(out, err).follow(name(), handle, line.hasOption("quiet"));
        }
    }
}
