package dev.spindle.yarn;

import java.util.Map;

/** Test task: never finishes and moves no byte, as a worker stuck in a call that never returns. */
public final class StallingTask implements BlockTask {

    @Override
    public JobPreparation prepare(PrepareContext context) {
        return new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", Map.of());
    }

    @Override
    public BlockOutcome run(TaskContext context) throws Exception {
        Thread.sleep(Long.MAX_VALUE);
        throw new AssertionError("unreachable");
    }
}
