package dev.spindle.io.split;

import java.util.List;

/**
 * The unit of work: one task attempt reads one block and writes one part file. A block is one
 * range of a large file, or several small whole files packed together.
 *
 * @param index position in the plan, from 0; names the part file ({@code part-00042})
 * @param ranges the ranges to read, in order
 * @param hosts preferred hosts (de-duplicated), most bytes first; may be empty
 */
public record Block(int index, List<BlockRange> ranges, List<String> hosts) {
    public Block {
        ranges = List.copyOf(ranges);
        hosts = List.copyOf(hosts);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("Block " + index + " has no ranges");
        }
    }

    /** Planned bytes over all ranges. */
    public long length() {
        long total = 0;
        for (BlockRange range : ranges) {
            total += range.length();
        }
        return total;
    }
}
