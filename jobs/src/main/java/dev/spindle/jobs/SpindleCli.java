package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.yarn.SpindleVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ToolRunner;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * The {@code spindle} command line: {@code spindle <command> [-D key=value]... [options]}.
 * Every failure ends in one line on stderr and a non-zero {@link ExitCode}.
 */
public final class SpindleCli {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;

    public SpindleCli(PrintStream out, PrintStream err, Map<String, String> environment) {
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        int code = new SpindleCli(System.out, System.err, System.getenv()).run(args);
        System.out.flush();
        System.exit(code);
    }

    private Map<String, SpindleCommand> commands() {
        Map<String, SpindleCommand> commands = new LinkedHashMap<>();
        for (SpindleCommand command : List.of(
                new CsvConvertCommand(out, err, OutputFormat.AVRO),
                new CsvConvertCommand(out, err, OutputFormat.PARQUET),
                new InferSchemaCommand(out, err),
                new HeadCommand(out, err),
                new GenerateTaxiCommand(out, err),
                new ClusterCommand(out, err),
                new FsCommand(out, err),
                new ApplicationCommand(out, err, ApplicationCommand.Action.STATUS),
                new WaitCommand(out, err),
                new ApplicationCommand(out, err, ApplicationCommand.Action.KILL))) {
            commands.put(command.name(), command);
        }
        return commands;
    }

    /** Runs one command line and returns the process exit code. */
    public int run(String[] args) {
        Map<String, SpindleCommand> commands = commands();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printUsage(commands);
            return args.length == 0 ? ExitCode.USAGE.code() : ExitCode.OK.code();
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println("spindle " + SpindleVersion.current());
            return ExitCode.OK.code();
        }
        String name = args[0];
        SpindleCommand command = commands.get(name);
        if (command == null) {
            err.printf("spindle: unknown command '%s'; commands: %s%n", name, String.join(", ", commands.keySet()));
            return ExitCode.USAGE.code();
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            Configuration conf = ClusterConnection.configure(clusterOption(rest), environment);
            return ToolRunner.run(conf, command, rest);
        } catch (UsageException e) {
            err.printf("spindle %s: %s%n", name, e.getMessage());
            return ExitCode.USAGE.code();
        } catch (IOException | YarnException e) {
            // the cluster or the storage did not answer, or refused the job
            err.printf("spindle %s: error: %s%n", name, describe(e));
            return ExitCode.ENVIRONMENT.code();
        } catch (Exception e) {
            // a bug in spindle, not the cluster's fault: say so, with the stack trace
            err.printf("spindle %s: internal error: %s%n", name, describe(e));
            e.printStackTrace(err);
            return ExitCode.JOB_FAILED.code();
        }
    }

    private static Optional<String> clusterOption(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cluster") && i + 1 < args.length) {
                return Optional.of(args[i + 1]);
            }
            if (args[i].startsWith("--cluster=")) {
                return Optional.of(args[i].substring("--cluster=".length()));
            }
        }
        return Optional.empty();
    }

    private void printUsage(Map<String, SpindleCommand> commands) {
        out.println("Usage: spindle <command> [-D key=value]... [options]");
        out.println();
        out.println("Commands:");
        for (SpindleCommand command : commands.values()) {
            out.printf("  %-16s %s%n", command.name(), command.summary());
        }
        out.println();
        out.println("Exit codes:");
        for (ExitCode code : ExitCode.values()) {
            out.printf("  %d  %s%n", code.code(), code.meaning());
        }
        out.println();
        out.println("Without --cluster DIR or HADOOP_CONF_DIR, job commands run on an embedded HDFS + YARN");
        out.println("started for the command. 'spindle <command> --help' describes a command's options.");
    }

    /** A one-line description of an error and its causes. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable current = error; current != null && text.length() < 2000; current = current.getCause()) {
            String message = current.getMessage();
            if (!text.isEmpty()) {
                if (message != null && text.toString().contains(message)) {
                    continue;
                }
                text.append("; caused by ");
            }
            text.append(message == null ? current.getClass().getSimpleName() : message);
        }
        return text.toString().replace('\n', ' ');
    }
}
