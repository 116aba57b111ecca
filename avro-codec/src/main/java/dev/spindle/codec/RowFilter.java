package dev.spindle.codec;

import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A row filter as {@link BatchBuilder#drainTo(BatchWriter, RowFilter)} runs it: over Arrow
 * batches always, and on the raw bytes of plain records when it can be expressed there.
 */
public interface RowFilter {

    /**
     * Writes the indices of the kept rows of {@code batch} to {@code selection}, ascending, and
     * returns how many; {@code selection} holds at least {@code batch.getRowCount()} entries.
     */
    int select(VectorSchemaRoot batch, int[] selection);

    /**
     * The same filter over raw records, which the direct path evaluates before it types the rest
     * of a record; empty (the default) when it cannot be expressed there, so every record goes
     * through Arrow batches.
     */
    default Optional<RawRecordFilter> rawRecords() {
        return Optional.empty();
    }
}
