package dev.spindle.yarn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Test task for a bad node: on a host of {@link BadHostSpec#badHosts} (the container's
 * {@code NM_HOST}) the worker JVM leaves a marker file named after its container and halts with
 * exit status {@link #EXIT_STATUS} at its first block, so its container fails as one on a broken
 * machine does; elsewhere it copies the block's bytes like {@link ByteCopyTask}.
 *
 * <p>So that the bad host is tried as often as the test needs however fast the good ones are, a
 * worker on a good host waits before its first block until {@link BadHostSpec#awaitedDeaths}
 * markers exist (at most {@link #AWAIT_MILLIS}; the test then finds too few failures).
 */
public final class FailOnHostTask implements BlockTask<BadHostSpec> {

    static final int EXIT_STATUS = 17;
    static final long AWAIT_MILLIS = 90_000;

    private final ByteCopyTask copy = new ByteCopyTask();
    private volatile boolean awaited;

    @Override
    public Class<BadHostSpec> specType() {
        return BadHostSpec.class;
    }

    @Override
    public JobPreparation prepare(PrepareContext<BadHostSpec> context) {
        return new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", context.task());
    }

    @Override
    public BlockOutcome run(TaskContext<BadHostSpec> context) throws Exception {
        String host = System.getenv("NM_HOST");
        String container = System.getenv("CONTAINER_ID");
        Path markers = new Path(context.task().markerDir());
        FileSystem fs = markers.getFileSystem(context.conf());
        if (context.task().badHosts().contains(host)) {
            try (OutputStream out = fs.create(new Path(markers, container), false)) {
                out.write((host + " block " + context.block().index() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
        if (!awaited) {
            awaitDeaths(fs, markers, context.task().awaitedDeaths());
            awaited = true;
        }
        return copy.run(new TaskContext<>(context.conf(), context.store(), context.spec(), context.preparation(), CopySpec.plain(),
                context.block(), context.attempt(), context.attemptDirectory(), context.partFileName(), context.knownRecordStarts()));
    }

    private static void awaitDeaths(FileSystem fs, Path markers, int deaths) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + AWAIT_MILLIS;
        while (System.currentTimeMillis() < deadline && (fs.exists(markers) ? fs.listStatus(markers).length : 0) < deaths) {
            Thread.sleep(200);
        }
    }
}
