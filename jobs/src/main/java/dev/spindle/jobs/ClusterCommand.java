package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code spindle cluster start|stop|status [--dir DIR] [--no-warm-up]}: keeps an embedded HDFS +
 * YARN running in the background so that repeated commands do not pay its start-up; its Hadoop
 * conf files are in {@code DIR/conf}, for {@code --cluster DIR/conf} or {@code HADOOP_CONF_DIR}.
 *
 * <p>Once the cluster is up, {@code start} runs one small job through it (the quickstart's seed
 * job on {@value #WARM_UP_ROWS} generated taxi rows, in a worker container), so that the first
 * job a user runs finds what a cluster that has run a job before has: the job jar localized on
 * the node, the AM's and the workers' class-data archives written, and the daemons' code paths
 * loaded and compiled. {@code --no-warm-up} skips it; a warm-up that fails is reported and the
 * cluster keeps running.
 */
final class ClusterCommand extends SpindleCommand {

    private static final long START_TIMEOUT_SECONDS = 180;
    private static final long STOP_TIMEOUT_SECONDS = 60;
    static final int WARM_UP_ROWS = 20_000;
    static final String WARM_UP_DIR = "warm-up";

    ClusterCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "cluster";
    }

    @Override
    String summary() {
        return "start, stop or show an embedded HDFS + YARN kept running in the background";
    }

    @Override
    String arguments() {
        return "start|stop|status";
    }

    @Override
    Options options() {
        return new Options().addOption(Option.builder().longOpt("dir").hasArg().argName("DIR")
                        .desc("the cluster's directory: data, logs and conf/ (default ~/.spindle/cluster)").build())
                .addOption(Option.builder().longOpt("no-warm-up")
                        .desc("start: do not run the small job that localizes the job jar and writes the containers' class-data archives before the first real job").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException("Expected one of start, stop, status; got " + (args.isEmpty() ? "nothing" : String.join(" ", args)));
        }
        File dir = new File(line.getOptionValue("dir", System.getProperty("user.home") + "/.spindle/cluster")).getAbsoluteFile();
        return switch (args.get(0)) {
            case "start" -> start(dir, !line.hasOption("no-warm-up"));
            case "stop" -> stop(dir);
            case "status" -> status(dir);
            default -> throw new UsageException("Unknown cluster action '%s'; valid: start, stop, status".formatted(args.get(0)));
        };
    }

    private ExitCode start(File dir, boolean warmUp) throws IOException, InterruptedException {
        if (running(dir).isPresent()) {
            out.println("Already running.");
            return status(dir);
        }
        Files.createDirectories(dir.toPath());
        Files.deleteIfExists(new File(dir, EmbeddedClusterMain.READY_FILE).toPath());
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EmbeddedClusterMain.class.getName());
        command.add(dir.getPath());
        File log = new File(dir, EmbeddedClusterMain.LOG_FILE);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Files.writeString(new File(dir, EmbeddedClusterMain.PID_FILE).toPath(), process.pid() + "\n", UTF_8);
        out.printf("Starting an embedded HDFS + YARN (pid %d) in %s ...%n", process.pid(), dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        File ready = new File(dir, EmbeddedClusterMain.READY_FILE);
        while (!ready.isFile()) {
            if (!process.isAlive()) {
                err.println("The cluster process ended with exit code " + process.exitValue() + "; the end of " + log + ":");
                printTail(log);
                return ExitCode.ENVIRONMENT;
            }
            if (System.nanoTime() > deadline) {
                process.destroy();
                err.printf("The cluster did not start within %d s; see %s%n", START_TIMEOUT_SECONDS, log);
                return ExitCode.ENVIRONMENT;
            }
            Thread.sleep(200);
        }
        if (warmUp) {
            warmUp(dir);
        }
        return status(dir);
    }

    /** Runs the warm-up job (see the class comment) and removes what it wrote. */
    private void warmUp(File dir) throws IOException {
        File work = new File(dir, WARM_UP_DIR);
        deleteRecursively(work);
        Files.createDirectories(work.toPath());
        File csv = new File(work, "taxi.csv");
        try (java.io.OutputStream file = new java.io.BufferedOutputStream(new java.io.FileOutputStream(csv))) {
            new TaxiDataGenerator(1).write(file, WARM_UP_ROWS);
        }
        out.print("Warming up: one small job in a worker container (--no-warm-up skips this) ... ");
        out.flush();
        long started = System.nanoTime();
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        PrintStream sink = new PrintStream(log, true, UTF_8);
        int code = new SpindleCli(sink, sink, System.getenv()).run(new String[] {"csv-to-avro",
                "--cluster", new File(dir, EmbeddedClusterMain.CONF_DIR).getPath(),
                "--input", csv.toURI().toString(), "--output", new File(work, "out").toURI().toString(),
                "--filter", "passenger_count > 3", "--select", "medallion,pickup_datetime,trip_distance",
                "--block-size", "1m", "--no-uber", "--quiet", "--name", "spindle cluster warm-up"});
        if (code == ExitCode.OK.code()) {
            out.printf("done in %.1f s%n", (System.nanoTime() - started) / 1e9);
        } else {
            out.println("failed");
            err.printf("The warm-up job failed (exit %d); the cluster is running, but a job may fail the same way. The end of its output:%n", code);
            List<String> lines = log.toString(UTF_8).lines().toList();
            lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(text -> err.println("  " + text));
        }
        deleteRecursively(work);
    }

    private static void deleteRecursively(File file) throws IOException {
        if (!file.exists()) {
            return;
        }
        try (java.util.stream.Stream<java.nio.file.Path> paths = Files.walk(file.toPath())) {
            for (java.nio.file.Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private ExitCode stop(File dir) throws IOException, InterruptedException {
        Optional<ProcessHandle> process = running(dir);
        if (process.isEmpty()) {
            out.println("No embedded cluster is running in " + dir);
            return ExitCode.OK;
        }
        process.get().destroy();
        try {
            process.get().onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            process.get().destroyForcibly();
        }
        Files.deleteIfExists(new File(dir, EmbeddedClusterMain.PID_FILE).toPath());
        Files.deleteIfExists(new File(dir, EmbeddedClusterMain.READY_FILE).toPath());
        out.println("Stopped the embedded cluster in " + dir);
        return ExitCode.OK;
    }

    private ExitCode status(File dir) throws IOException {
        Optional<ProcessHandle> process = running(dir);
        File ready = new File(dir, EmbeddedClusterMain.READY_FILE);
        if (process.isEmpty() || !ready.isFile()) {
            out.println("No embedded cluster is running in " + dir);
            return ExitCode.ENVIRONMENT;
        }
        File conf = new File(dir, EmbeddedClusterMain.CONF_DIR);
        out.printf("Embedded cluster running (pid %d): HDFS %s%n", process.get().pid(), Files.readString(ready.toPath(), UTF_8).strip());
        out.printf("Hadoop conf dir: %s%n", conf);
        out.printf("Use it with: --cluster %s   or   export HADOOP_CONF_DIR=%s%n", conf, conf);
        return ExitCode.OK;
    }

    private static Optional<ProcessHandle> running(File dir) throws IOException {
        File pidFile = new File(dir, EmbeddedClusterMain.PID_FILE);
        if (!pidFile.isFile()) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile.toPath(), UTF_8).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(EmbeddedClusterMain.class.getName())).orElse(true));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void printTail(File log) throws IOException {
        List<String> lines = Files.readAllLines(log.toPath(), UTF_8);
        for (String text : lines.subList(Math.max(0, lines.size() - 20), lines.size())) {
            err.println("  " + text);
        }
    }
}
