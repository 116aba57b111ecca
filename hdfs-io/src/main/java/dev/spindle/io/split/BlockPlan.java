package dev.spindle.io.split;

import java.util.List;

/**
 * What {@link BlockPlanner#plan} decided.
 *
 * @param blocks the blocks, indexed from 0 in list order
 * @param emptyFiles locations of the empty input files, which get no block, sorted
 */
public record BlockPlan(List<Block> blocks, List<String> emptyFiles) {
    public BlockPlan {
        blocks = List.copyOf(blocks);
        emptyFiles = List.copyOf(emptyFiles);
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).index() != i) {
                throw new IllegalArgumentException("Block at position " + i + " has index " + blocks.get(i).index());
            }
        }
    }
}
