package dev.spindle.codec;

/** Receives the records a {@link BatchBuilder} could not convert. */
@FunctionalInterface
public interface BadRecordSink {

    /**
     * Called once per rejected record, in input order, before the batch holding the records
     * around it is returned. An exception thrown here propagates out of
     * {@link BatchBuilder#next()} (that is how a "fail" policy stops the block).
     */
    void accept(BadRecord badRecord);
}
