package dev.spindle.yarn;

import java.util.Map;

/** Test task: {@link ByteCopyTask} that takes a second per block, so a test can act while it runs. */
public final class SlowCopyTask implements BlockTask {

    private final ByteCopyTask copy = new ByteCopyTask();

    @Override
    public JobPreparation prepare(PrepareContext context) {
        return new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", Map.of());
    }

    @Override
    public BlockOutcome run(TaskContext context) throws Exception {
        BlockOutcome outcome = copy.run(context);
        Thread.sleep(1000);
        return outcome;
    }
}
