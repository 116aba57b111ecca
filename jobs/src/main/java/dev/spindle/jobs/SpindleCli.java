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
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.apache.hadoop.util.GenericOptionsParser;
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
        LoggingDefaults.configureIfUnset();
        int code = new SpindleCli(System.out, System.err, System.getenv()).run(args);
        System.out.flush();
        System.exit(code);
    }

    private Map<String, SpindleCommand> commands() {
        Map<String, SpindleCommand> commands = new LinkedHashMap<>();
        for (SpindleCommand command : List.of(
                new CsvConvertCommand(out, err, OutputFormat.AVRO),
                new CsvConvertCommand(out, err, OutputFormat.PARQUET),
                new CsvConvertCommand(out, err, OutputFormat.PARQUET, InputFormat.AVRO),
                new CsvConvertCommand(out, err, OutputFormat.AVRO, InputFormat.PARQUET),
                new InferSchemaCommand(out, err),
                new HeadCommand(out, err),
                new InspectCommand(out, err),
                new CountCommand(out, err),
                new SchemaCommand(out, err),
                new ValidateCommand(out, err),
                new GenerateTaxiCommand(out, err),
                new ClusterCommand(out, err),
                new FsCommand(out, err),
                new CredentialCommand(out, err, System.in),
                new UploadsCommand(out, err),
                new LogsCommand(out, err),
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
        String[] rest;
        try {
            rest = GenericOptions.first(Arrays.copyOfRange(args, 1, args.length), command.options());
        } catch (UsageException e) {
            err.printf("spindle %s: %s%n", name, e.getMessage());
            return ExitCode.USAGE.code();
        }
        try {
            Configuration conf = ClusterConnection.configure(clusterOption(rest), environment);
            return ToolRunner.run(conf, command, rest);
        } catch (UsageException e) {
            err.printf("spindle %s: %s%n", name, e.getMessage());
            return ExitCode.USAGE.code();
        } catch (IOException | YarnException e) {
            // the cluster or the storage did not answer, or refused the job
            err.printf("spindle %s: error: %s%s%n", name, describe(e), unreachable(e) ? UNREACHABLE_HINT : "");
            return ExitCode.ENVIRONMENT.code();
        } catch (Exception e) {
            // a bug in spindle, not the cluster's fault: say so, with the stack trace
            err.printf("spindle %s: internal error: %s%n", name, describe(e));
            e.printStackTrace(err);
            return ExitCode.JOB_FAILED.code();
        }
    }

    /**
     * Parses a command line as {@link #run} would, running nothing: generic options where
     * {@code GenericOptionsParser} takes them, then the command's own options. For checking
     * command lines written elsewhere (the scheduler examples in {@code conf/examples/}).
     *
     * @throws UsageException naming what does not parse
     */
    static CommandLine parse(String[] args) throws java.io.IOException {
        if (args.length == 0) {
            throw new UsageException("no command");
        }
        PrintStream discard = new PrintStream(java.io.OutputStream.nullOutputStream());
        SpindleCommand command = new SpindleCli(discard, discard, Map.of()).commands().get(args[0]);
        if (command == null) {
            throw new UsageException("unknown command '" + args[0] + "'");
        }
        String[] rest = GenericOptions.first(Arrays.copyOfRange(args, 1, args.length), command.options());
        String[] own = new GenericOptionsParser(new Configuration(false), rest).getRemainingArgs();
        try {
            return new DefaultParser().parse(command.options(), own);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
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
        out.println("Without --cluster DIR, HADOOP_CONF_DIR or a -conf/-D naming a file system or ResourceManager,");
        out.println("job commands run on an embedded HDFS + YARN started for the command.");
        out.println("'spindle <command> --help' describes a command's options.");
    }

    static final String UNREACHABLE_HINT = " (is the cluster up? 'spindle cluster start --dir DIR' starts a local one;"
            + " check --cluster, HADOOP_CONF_DIR and -conf)";

    /** Whether {@code error} comes from a refused or timed-out connection. */
    static boolean unreachable(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current instanceof java.net.ConnectException || current instanceof java.net.NoRouteToHostException
                    || current instanceof java.net.UnknownHostException || current instanceof org.apache.hadoop.net.ConnectTimeoutException) {
                return true;
            }
        }
        return false;
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
