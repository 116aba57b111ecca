package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.io.PrintWriter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.util.Tool;

/**
 * One {@code spindle} command. Run through Hadoop's {@code ToolRunner}, so the generic options
 * ({@code -D key=value}, {@code -conf file}) come first and are already in {@link #getConf()};
 * the command's own options are parsed here with Commons CLI.
 */
abstract class SpindleCommand extends Configured implements Tool {

    protected final PrintStream out;
    protected final PrintStream err;

    SpindleCommand(PrintStream out, PrintStream err) {
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /** The command's name on the command line. */
    abstract String name();

    /** One line for the command list. */
    abstract String summary();

    /** Free-form arguments after the options, for the usage line ({@code "DIR"}); empty if none. */
    String arguments() {
        return "";
    }

    /** Example command lines for {@code --help}, each with a comment; none by default. */
    java.util.List<String> examples() {
        return java.util.List.of();
    }

    /** The command's options; {@code --help} is added by the base class. */
    abstract Options options();

    /** Runs the parsed command line and returns the exit code. */
    abstract ExitCode execute(CommandLine line) throws Exception;

    @Override
    public int run(String[] args) throws Exception {
        ClusterConnection.markEmbedded(getConf());
        KerberosLogin.apply(getConf());
        Options options = options();
        options.addOption(Option.builder().longOpt("help").desc("print this help and exit").build());
        CommandLine line;
        try {
            line = new DefaultParser().parse(options, args);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage() + " (see: spindle " + name() + " --help)");
        }
        if (line.hasOption("help")) {
            printHelp(options);
            return ExitCode.OK.code();
        }
        return execute(line).code();
    }

    void printHelp(Options options) {
        PrintWriter writer = new PrintWriter(out);
        HelpFormatter formatter = new HelpFormatter();
        formatter.setWidth(100);
        formatter.setOptionComparator(null);
        String syntax = "spindle " + name() + " [-D key=value]... [options] " + arguments();
        StringBuilder footer = new StringBuilder(
                "Generic Hadoop options (-D key=value, -conf FILE, -fs URI, -jt HOST:PORT) may go anywhere among the options.");
        if (!examples().isEmpty()) {
            footer.append("\n\nExamples:");
            examples().forEach(example -> footer.append("\n  ").append(example));
        }
        footer.append("\n\nExit codes:");
        for (ExitCode code : ExitCode.values()) {
            footer.append("\n  ").append(code.code()).append("  ").append(code.meaning());
        }
        formatter.printHelp(writer, 100, syntax.strip(), summary(), options, 2, 3, footer.toString(), false);
        writer.flush();
    }

    /** The single value of a required option, or a usage error naming it. */
    static String required(CommandLine line, String option) {
        String value = line.getOptionValue(option);
        if (value == null || value.isBlank()) {
            throw new UsageException("Missing required option --" + option);
        }
        return value;
    }

    static int intOption(CommandLine line, String option, int defaultValue, int min) {
        String value = line.getOptionValue(option);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min) {
                throw new UsageException("--%s must be at least %d, got %d".formatted(option, min, parsed));
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--%s takes a whole number, got '%s'".formatted(option, value));
        }
    }
}
