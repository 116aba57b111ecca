package dev.spindle.yarn;

/** Test task: never finishes and moves no byte, as a worker stuck in a call that never returns. */
public final class StallingTask implements BlockTask<CopySpec> {

    @Override
    public Class<CopySpec> specType() {
        return CopySpec.class;
    }

    @Override
    public JobPreparation prepare(PrepareContext<CopySpec> context) {
        return new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", context.task());
    }

    @Override
    public BlockOutcome run(TaskContext<CopySpec> context) throws Exception {
        Thread.sleep(Long.MAX_VALUE);
        throw new AssertionError("unreachable");
    }
}
