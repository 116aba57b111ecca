package dev.spindle.yarn;


/** Test task: {@link ByteCopyTask} that takes a second per block, so a test can act while it runs. */
public final class SlowCopyTask implements BlockTask<CopySpec> {

    @Override
    public Class<CopySpec> specType() {
        return CopySpec.class;
    }

    private final ByteCopyTask copy = new ByteCopyTask();

    @Override
    public JobPreparation prepare(PrepareContext<CopySpec> context) {
        return new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", context.task());
    }

    @Override
    public BlockOutcome run(TaskContext<CopySpec> context) throws Exception {
        BlockOutcome outcome = copy.run(context);
        Thread.sleep(1000);
        return outcome;
    }
}
