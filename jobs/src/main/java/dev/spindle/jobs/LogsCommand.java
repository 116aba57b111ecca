package dev.spindle.jobs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.yarn.client.cli.LogsCLI;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.webapp.util.WebServiceClient;

/**
 * {@code spindle logs APP_ID [--container ID] [--am]}: a job's container logs, as
 * {@code yarn logs -applicationId} prints them (YARN's own {@code LogsCLI}): from log
 * aggregation once the job has ended, from the NodeManagers while it runs.
 */
final class LogsCommand extends SpindleCommand {

    LogsCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "logs";
    }

    @Override
    java.util.List<String> examples() {
        return java.util.List.of("spindle logs application_1712345678901_0042 --am",
                "spindle logs application_1712345678901_0042 --container container_1712345678901_0042_01_000002");
    }

    @Override
    String summary() {
        return "a job's AM and worker logs, as 'yarn logs -applicationId' prints them";
    }

    @Override
    String arguments() {
        return "APP_ID";
    }

    @Override
    Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("container").hasArg().argName("ID").desc("only this container's logs").build())
                .addOption(Option.builder().longOpt("am").desc("only the ApplicationMaster's logs (every attempt)").build())
                .addOption(Option.builder().longOpt("cluster").hasArg().argName("DIR").desc("Hadoop conf dir of the cluster (default: HADOOP_CONF_DIR)").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        if (line.getArgList().size() != 1) {
            throw new UsageException("Expected one application id, e.g. spindle logs application_1700000000000_0001");
        }
        if (getConf().getBoolean(ClusterConnection.EMBEDDED_KEY, false)) {
            throw new UsageException(name() + " needs a cluster: pass --cluster DIR or set HADOOP_CONF_DIR");
        }
        String applicationId = line.getArgList().get(0);
        if (!applicationId.matches("application_\\d+_\\d+")) {
            throw new UsageException("Not an application id: '%s' (expected application_<cluster>_<n>)".formatted(applicationId));
        }
        List<String> args = new ArrayList<>(List.of("-applicationId", applicationId));
        if (line.hasOption("container")) {
            args.add("-containerId");
            args.add(line.getOptionValue("container"));
        }
        if (line.hasOption("am")) {
            args.add("-am");
            args.add("ALL");
        }
        // LogsCLI prints to System.out and System.err as they are when it is created
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        System.setOut(out);
        System.setErr(err);
        int code;
        YarnConfiguration conf = new YarnConfiguration(getConf());
        WebServiceClient.initialize(conf); // what LogsCLI.main does first: it asks the NodeManagers for logs of a running job
        try {
            LogsCLI logs = new LogsCLI();
            logs.setConf(conf);
            code = logs.run(args.toArray(String[]::new));
        } finally {
            WebServiceClient.destroy();
            System.setOut(systemOut);
            System.setErr(systemErr);
        }
        return code == 0 ? ExitCode.OK : ExitCode.JOB_FAILED;
    }
}
