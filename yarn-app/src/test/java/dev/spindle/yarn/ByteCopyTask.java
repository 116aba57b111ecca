package dev.spindle.yarn;

import dev.spindle.io.split.BlockRange;
import dev.spindle.io.store.SeekableInput;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** Test task: copies each block's bytes into its part file; one "row" per byte. */
public final class ByteCopyTask implements BlockTask<CopySpec> {

    @Override
    public Class<CopySpec> specType() {
        return CopySpec.class;
    }

    @Override
    public JobPreparation prepare(PrepareContext<CopySpec> context) {
        return new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", new CopySpec(context.task().charset(), context.task().note() + context.blocks().size() + " blocks"));
    }

    @Override
    public BlockOutcome run(TaskContext<CopySpec> context) throws Exception {
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
