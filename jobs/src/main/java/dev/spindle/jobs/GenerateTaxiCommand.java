package dev.spindle.jobs;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code spindle generate-taxi}: writes the sample NYC-taxi-shaped CSV to a local file. */
final class GenerateTaxiCommand extends SpindleCommand {

    GenerateTaxiCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "generate-taxi";
    }

    @Override
    String summary() {
        return "write a sample CSV shaped like NYC taxi trip_data (2013), deterministic from a seed";
    }

    @Override
    Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("output").hasArg().argName("FILE").desc("local file to write (required)").build())
                .addOption(Option.builder().longOpt("rows").hasArg().argName("N").desc("rows to write (default 1000000)").build())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("random seed (default 42)").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        File output = new File(required(line, "output"));
        long rows = parseLong(line, "rows", 1_000_000);
        long seed = parseLong(line, "seed", 42);
        if (rows < 0) {
            throw new UsageException("--rows must not be negative, got " + rows);
        }
        File parent = output.getAbsoluteFile().getParentFile();
        if (parent != null && !parent.isDirectory() && !parent.mkdirs()) {
            throw new UsageException("Cannot create directory " + parent);
        }
        long started = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(output), 1 << 20)) {
            new TaxiDataGenerator(seed).write(out, rows);
        }
        this.out.printf("Wrote %,d rows (%,d bytes) to %s in %.1f s (seed %d)%n", rows, output.length(), output,
                (System.nanoTime() - started) / 1e9, seed);
        return ExitCode.OK;
    }

    private static long parseLong(CommandLine line, String option, long defaultValue) {
        String value = line.getOptionValue(option);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--%s takes a whole number, got '%s'".formatted(option, value));
        }
    }
}
