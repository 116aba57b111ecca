package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One in-process run of the {@code spindle} command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream outStream = new PrintStream(out, true, UTF_8); PrintStream errStream = new PrintStream(err, true, UTF_8)) {
            code = new SpindleCli(outStream, errStream, Map.of()).run(args);
        }
        return new CliRun(code, out.toString(UTF_8), err.toString(UTF_8));
    }

    /** The arguments with the job jar the failsafe plugin built, for commands that submit jobs. */
    static String[] withJobJar(String command, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        String jar = System.getProperty("spindle.job.jar");
        if (jar != null) {
            all.add("-D");
            all.add("spindle.yarn.job-jar=" + jar);
        }
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
