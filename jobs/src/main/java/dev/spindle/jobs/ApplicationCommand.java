package dev.spindle.jobs;

import dev.spindle.yarn.YarnAppConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;
import org.apache.hadoop.yarn.exceptions.YarnException;

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
        return action == Action.STATUS ? "show a job's state from YARN; exits with the job's code (0 succeeded or running, 1 failed, 3 killed)" : "kill a running job; nothing of it becomes visible";
    }

    @Override
    String arguments() {
        return "APPLICATION_ID";
    }

    @Override
    Options options() {
        Options options = new Options().addOption(Option.builder().longOpt("cluster").hasArg().argName("DIR").desc("Hadoop conf dir of the cluster").build());
        if (action == Action.STATUS) {
            options.addOption(Option.builder().longOpt("web")
                            .desc("a running job: print its live page's URL; a succeeded one: serve its last page"
                                    + " (<output>/_spindle-status.html) on 127.0.0.1 until interrupted").build())
                    .addOption(Option.builder().longOpt("port").hasArg().argName("N").desc("with --web: the local port (default: any free one)").build())
                    .addOption(Option.builder().longOpt("serve-seconds").hasArg().argName("S")
                            .desc("with --web: stop serving after S seconds (default: until interrupted)").build());
        }
        return options;
    }

    @Override
    java.util.List<String> examples() {
        return action == Action.STATUS
                ? java.util.List.of("spindle status application_1712345678901_0042; echo \"exit $?\"",
                        "spindle status --web application_1712345678901_0042   # the job's page, live or its last one")
                : java.util.List.of("spindle kill application_1712345678901_0042");
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
        yarn.init(YarnAppConfig.withClientTimeouts(getConf()));
        yarn.start();
        try {
            ApplicationReport report;
            try {
                report = yarn.getApplicationReport(id);
            } catch (ApplicationNotFoundException e) {
                throw new UsageException("No such application: " + id);
            } catch (IOException | YarnException e) {
                throw new IOException("Cannot reach the ResourceManager at %s: %s".formatted(resourceManager(getConf()),
                        SpindleCli.describe(e)), e);
            }
            if (action == Action.KILL) {
                yarn.killApplication(id);
                out.println("Killed " + id);
                return ExitCode.OK;
            }
            ExitCode code = exitCode(report);
            boolean ended = isFinished(report.getYarnApplicationState());
            out.printf("%s %s %s progress %.0f%%%n", id, report.getYarnApplicationState(), report.getFinalApplicationStatus(),
                    report.getProgress() * 100);
            if (!ended && report.getTrackingUrl() != null && !report.getTrackingUrl().isBlank()) {
                // the ResourceManager's proxy; a finished job's AM is gone, so its address is not shown
                out.println("tracking URL: " + report.getTrackingUrl());
            }
            if (report.getDiagnostics() != null && !report.getDiagnostics().isBlank()) {
                out.println("diagnostics: " + report.getDiagnostics().strip());
            }
            if (line.hasOption("web")) {
                serveLastPage(report, ended, line);
            }
            return code;
        } finally {
            yarn.stop();
        }
    }

    /**
     * {@code --web}: a running job's page is the AM's, through the proxy (printed above); a
     * succeeded job's last page is {@code _spindle-status.html} in its output, named by the
     * diagnostics the AM left ({@value ApplicationMaster#COMMITTED_TO}OUTPUT), served here.
     */
    private void serveLastPage(ApplicationReport report, boolean ended, CommandLine line) throws Exception {
        if (!ended) {
            out.println("live page: " + report.getTrackingUrl());
            return;
        }
        String diagnostics = report.getDiagnostics() == null ? "" : report.getDiagnostics().strip();
        if (report.getFinalApplicationStatus() != FinalApplicationStatus.SUCCEEDED
                || !diagnostics.startsWith(dev.spindle.yarn.ApplicationMaster.COMMITTED_TO)) {
            throw new UsageException("No last page for " + report.getApplicationId() + ": only a job that committed leaves one in its output"
                    + " (this one ended " + report.getFinalApplicationStatus() + ")");
        }
        String output = diagnostics.substring(dev.spindle.yarn.ApplicationMaster.COMMITTED_TO.length()).strip();
        String page = output + "/" + "_spindle-status.html";
        byte[] html;
        dev.spindle.io.store.FileStore store = dev.spindle.io.store.FileStores.hadoop(getConf());
        try (dev.spindle.io.store.SeekableInput input = store.open(page)) {
            html = new byte[(int) input.length()];
            input.readFully(0, html, 0, html.length);
        } catch (java.io.FileNotFoundException e) {
            throw new UsageException("No last page at " + page + " (the output was moved or deleted?)");
        }
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), intOption(line, "port", 0, 0)), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, html.length);
                exchange.getResponseBody().write(html);
            }
        });
        server.start();
        try {
            out.printf("serving the last page of %s (%s) at http://127.0.0.1:%d/%n", report.getApplicationId(), page,
                    server.getAddress().getPort());
            out.flush();
            int seconds = intOption(line, "serve-seconds", 0, 0);
            if (seconds > 0) {
                Thread.sleep(seconds * 1000L);
            } else {
                new java.util.concurrent.CountDownLatch(1).await(); // until interrupted (Ctrl-C)
            }
        } finally {
            server.stop(0);
        }
    }

    static boolean isFinished(YarnApplicationState state) {
        return state == YarnApplicationState.FINISHED || state == YarnApplicationState.FAILED || state == YarnApplicationState.KILLED;
    }

    /** The job's exit code from YARN's report: 0 succeeded (or still running), 1 failed, 3 killed. */
    static ExitCode exitCode(ApplicationReport report) {
        if (!isFinished(report.getYarnApplicationState())) {
            return ExitCode.OK;
        }
        if (report.getYarnApplicationState() == YarnApplicationState.KILLED
                || report.getFinalApplicationStatus() == FinalApplicationStatus.KILLED) {
            return ExitCode.JOB_KILLED;
        }
        return report.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED ? ExitCode.OK : ExitCode.JOB_FAILED;
    }

    static String resourceManager(Configuration conf) {
        return conf.get(YarnConfiguration.RM_ADDRESS, YarnConfiguration.DEFAULT_RM_ADDRESS);
    }
}
