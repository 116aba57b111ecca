package dev.spindle.yarn;

import java.util.Map;

/** Test task: every attempt fails with the same message. */
public final class AlwaysFailingTask implements BlockTask {

    static final String MESSAGE = "deliberate failure for the test";

    @Override
    public JobPreparation prepare(PrepareContext context) {
        return new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", Map.of());
    }

    @Override
    public BlockOutcome run(TaskContext context) throws Exception {
        context.store().create(context.partFileLocation()).close();
        throw new IllegalStateException(MESSAGE + " in block " + context.block().index());
    }
}
