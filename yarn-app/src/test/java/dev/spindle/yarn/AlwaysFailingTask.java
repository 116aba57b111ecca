package dev.spindle.yarn;


/** Test task: every attempt fails with the same message. */
public final class AlwaysFailingTask implements BlockTask<CopySpec> {

    @Override
    public Class<CopySpec> specType() {
        return CopySpec.class;
    }

    static final String MESSAGE = "deliberate failure for the test";

    @Override
    public JobPreparation prepare(PrepareContext<CopySpec> context) {
        return new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", context.task());
    }

    @Override
    public BlockOutcome run(TaskContext<CopySpec> context) throws Exception {
        context.store().create(context.partFileLocation()).close();
        throw new IllegalStateException(MESSAGE + " in block " + context.block().index());
    }
}
