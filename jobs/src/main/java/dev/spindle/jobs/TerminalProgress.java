package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.yarn.BlockResult;
import dev.spindle.yarn.BlockStatus;
import dev.spindle.yarn.JobStatus;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

/**
 * The driver's progress on a terminal: one line, redrawn in place, with a bar of blocks done,
 * rows read and written, rejects, MB/s and an estimate of the time left. JLine finds out whether
 * stderr is a terminal and how wide it is, and moves the cursor with the terminal's own
 * capabilities; when stderr is not a terminal (Airflow, Oozie, {@code | tee}) there is no
 * {@code TerminalProgress} and the driver prints {@link ProgressPrinter}'s plain lines.
 */
final class TerminalProgress implements AutoCloseable {

    private final Terminal terminal;
    private final long startedNanos;
    private boolean drawn;

    TerminalProgress(Terminal terminal, long startedNanos) {
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.startedNanos = startedNanos;
    }

    /** A bar on stderr when stderr is a terminal, else empty. */
    static Optional<TerminalProgress> onStderr(long startedNanos) {
        Terminal terminal;
        try {
            terminal = TerminalBuilder.builder()
                    .system(true)
                    .systemOutput(TerminalBuilder.SystemOutput.SysErr)
                    .nativeSignals(false) // Ctrl-C stays the JVM's: the shutdown hook kills the job
                    .dumb(true)
                    .build();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
            try {
                terminal.close();
            } catch (IOException e) {
                // nothing was drawn on it
            }
            return Optional.empty();
        }
        return Optional.of(new TerminalProgress(terminal, startedNanos));
    }

    synchronized void update(JobStatus status) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        int width = terminal.getWidth() > 20 ? terminal.getWidth() : 100;
        terminal.puts(InfoCmp.Capability.carriage_return);
        terminal.writer().print(render(status, seconds, width - 1));
        terminal.puts(InfoCmp.Capability.clr_eol);
        terminal.flush();
        drawn = true;
    }

    /** Ends the bar's line, so what is printed next starts on a line of its own. */
    @Override
    public synchronized void close() {
        if (drawn) {
            terminal.writer().println();
            terminal.flush();
            drawn = false;
        }
        try {
            terminal.close();
        } catch (IOException e) {
            // the terminal's attributes were never changed
        }
    }

    /**
     * The bar's text for {@code status} after {@code seconds}, at most {@code width} characters:
     * {@code [#####·····] 5/10 blocks  1,234 rows read  1,200 written  3 rejected  45.1 MB/s  ETA 0:07}.
     */
    static String render(JobStatus status, double seconds, int width) {
        int total = status.blocks().size();
        int done = 0;
        long read = 0;
        long written = 0;
        long rejected = 0;
        long bytesDone = 0;
        long bytesPlanned = 0;
        for (BlockStatus block : status.blocks()) {
            bytesPlanned += block.plannedBytes();
            BlockResult result = block.result();
            if (result != null) {
                done++;
                read += result.outcome().rowsRead();
                written += result.outcome().rowsWritten();
                rejected += result.outcome().rowsRejected();
                bytesDone += block.plannedBytes();
            }
        }
        String state = status.state().name().toLowerCase(Locale.ROOT);
        if (total == 0) {
            return fit(String.format(Locale.ROOT, "%s  %.0fs", state, seconds), width);
        }
        double mbPerSecond = seconds > 0 ? bytesDone / 1e6 / seconds : 0;
        String eta = done == 0 || done == total ? "" : "  ETA " + clock(seconds * (bytesPlanned - bytesDone) / Math.max(1, bytesDone));
        String counts = String.format(Locale.ROOT, " %d/%d blocks  %,d rows read  %,d written  %,d rejected  %.1f MB/s%s  %s",
                done, total, read, written, rejected, mbPerSecond, eta, state);
        int barWidth = Math.max(10, Math.min(40, width - counts.length() - 2));
        int filled = (int) Math.round(barWidth * (double) done / total);
        return fit("[" + "#".repeat(filled) + "-".repeat(barWidth - filled) + "]" + counts, width);
    }

    private static String fit(String text, int width) {
        return text.length() <= width ? text : text.substring(0, Math.max(0, width));
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
