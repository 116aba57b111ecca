package dev.spindle.yarn;

import dev.spindle.io.split.BlockRange;
import dev.spindle.io.store.SeekableInput;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test task: copies each block's bytes into its part file; one "row" per byte. */
public final class ByteCopyTask implements BlockTask {

    @Override
    public JobPreparation prepare(PrepareContext context) {
        return new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", Map.of("blocks", String.valueOf(context.blocks().size())));
    }

    @Override
    public BlockOutcome run(TaskContext context) throws Exception {
        long bytes = 0;
        List<BlockOutcome.RangeOutcome> ranges = new ArrayList<>();
        try (OutputStream out = context.store().create(context.partFileLocation())) {
            for (BlockRange range : context.block().ranges()) {
                try (SeekableInput in = context.store().open(range.location())) {
                    byte[] buffer = new byte[(int) range.length()];
                    in.readFully(range.start(), buffer, 0, buffer.length);
                    out.write(buffer);
                    bytes += buffer.length;
                }
                ranges.add(new BlockOutcome.RangeOutcome(range.start(), range.end(), 0));
            }
        }
        return new BlockOutcome(bytes, bytes, 0, 0, bytes, ranges, context.partFileName());
    }
}
