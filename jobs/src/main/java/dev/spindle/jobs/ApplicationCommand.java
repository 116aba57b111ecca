package dev.spindle.jobs;

import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;

/** {@code spindle status|kill <applicationId>}: a Spindle job's YARN state, or kill it. */
final class ApplicationCommand extends SpindleCommand {

    /** What to do with the application. */
    enum Action {
        STATUS,
        KILL
    }

    private final Action action;

    ApplicationCommand(PrintStream out, PrintStream err, Action action) {
        super(out, err);
        this.action = action;
    }

    @Override
    String name() {
        return action == Action.STATUS ? "status" : "kill";
    }

    @Override
    String summary() {
        return action == Action.STATUS ? "show a job's state from YARN" : "kill a running job; nothing of it becomes visible";
    }

    @Override
    String arguments() {
        return "APPLICATION_ID";
    }

    @Override
    Options options() {
        return new Options().addOption(Option.builder().longOpt("cluster").hasArg().argName("DIR").desc("Hadoop conf dir of the cluster").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException("Expected one application id, e.g. application_1795225647249_0001");
        }
        if (getConf().getBoolean(ClusterConnection.EMBEDDED_KEY, false)) {
            throw new UsageException(name() + " needs a cluster: pass --cluster DIR or set HADOOP_CONF_DIR");
        }
        ApplicationId id;
        try {
            id = ApplicationId.fromString(args.get(0));
        } catch (IllegalArgumentException e) {
            throw new UsageException("Not an application id: '" + args.get(0) + "'");
        }
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(getConf());
        yarn.start();
        try {
            ApplicationReport report = yarn.getApplicationReport(id);
            if (action == Action.KILL) {
                yarn.killApplication(id);
                out.println("Killed " + id);
                return ExitCode.OK;
            }
            out.printf("%s %s %s progress %.0f%%%n", id, report.getYarnApplicationState(), report.getFinalApplicationStatus(),
                    report.getProgress() * 100);
            out.println("tracking URL: " + report.getOriginalTrackingUrl());
            if (report.getDiagnostics() != null && !report.getDiagnostics().isBlank()) {
                out.println("diagnostics: " + report.getDiagnostics().strip());
            }
            YarnApplicationState state = report.getYarnApplicationState();
            return switch (state) {
                case FAILED -> ExitCode.JOB_FAILED;
                case KILLED -> ExitCode.JOB_KILLED;
                default -> ExitCode.OK;
            };
        } catch (ApplicationNotFoundException e) {
            throw new UsageException("No such application: " + id);
        } finally {
            yarn.stop();
        }
    }
}
