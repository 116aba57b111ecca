package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.yarn.BlockOutcome;
import dev.spindle.yarn.BlockResult;
import dev.spindle.yarn.BlockStatus;
import dev.spindle.yarn.JobState;
import dev.spindle.yarn.JobStatus;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's terminal progress bar: its text, its in-place redraw, and when it is chosen (a real pty). */
class TerminalProgressTest {

    /** A job of {@code total} 10 MB blocks, the first {@code done} finished with 1,000 rows read, 900 written, 5 rejected each. */
    static JobStatus status(JobState state, int total, int done) {
        List<BlockStatus> blocks = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            BlockResult result = i < done ? new BlockResult(i, 1, "node-1", 1500, false,
                    new BlockOutcome(1000, 900, 95, 5, 10_000_000, List.of(), "part-0000" + i + ".avro")) : null;
            blocks.add(new BlockStatus(i, i < done ? BlockStatus.State.SUCCEEDED : BlockStatus.State.RUNNING, 1, 10_000_000, null, result, "node-1"));
        }
        return new JobStatus("application_1_0001", state, "", null, blocks, null);
    }

    @Test
    void theBarShowsBlocksRowsRejectsSpeedAndTimeLeft() {
        String line = TerminalProgress.render(status(JobState.RUNNING, 4, 1), 2.0, 120);
        assertEquals("[#########---------------------------] 1/4 blocks  1,000 rows read  900 written  5 rejected  5.0 MB/s  ETA 0:06  running",
                line, "36 of 120 columns for the bar, a quarter filled");
        String done = TerminalProgress.render(status(JobState.COMMITTING, 4, 4), 8.0, 120);
        assertTrue(done.startsWith("[########################################] 4/4 blocks  4,000 rows read"), done);
        assertTrue(!done.contains("ETA") && done.endsWith("committing"), done);
        assertEquals("planning  1s", TerminalProgress.render(status(JobState.PLANNING, 0, 0), 1.2, 120));
    }

    @Test
    void theBarNeverOutgrowsTheTerminal() {
        for (int width = 30; width <= 200; width += 7) {
            assertTrue(TerminalProgress.render(status(JobState.RUNNING, 1000, 333), 61, width).length() <= width, "width " + width);
        }
    }

    @Test
    void aPseudoTerminalGetsTheBarAndAPipeGetsPlainLines(@TempDir File dir) throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        String classPath = System.getProperty("java.class.path");
        List<String> probe = List.of(java, "-cp", classPath, ProgressModeProbe.class.getName());

        String piped = run(new ProcessBuilder(probe), dir, "piped");
        assertTrue(piped.contains("mode=lines"), piped);

        // script(1) runs the probe on a pseudo-terminal, as a user's shell would
        String command = String.join(" ", probe.stream().map(TerminalProgressTest::shellQuote).toList());
        String onPty = run(new ProcessBuilder("script", "-qefc", command, "/dev/null"), dir, "pty");
        assertTrue(onPty.contains("mode=bar"), onPty);
        assertTrue(onPty.contains("2/4 blocks") && onPty.contains("4/4 blocks"), onPty);
        // redrawn in place: a carriage return and the terminal's clear-to-end-of-line before each redraw
        String between = onPty.substring(onPty.indexOf("2/4 blocks"), onPty.indexOf("4/4 blocks"));
        assertTrue(between.contains("\r") && between.contains("\u001b[K") && !between.contains("\n"), "redrawn in place: " + onPty);
    }

    private static String run(ProcessBuilder builder, File dir, String name) throws Exception {
        File output = new File(dir, name + ".out");
        Process process = builder.redirectErrorStream(true).redirectOutput(output).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), name + " probe did not end");
        String text = Files.readString(output.toPath(), UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }

    private static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
