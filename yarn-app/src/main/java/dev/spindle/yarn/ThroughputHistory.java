package dev.spindle.yarn;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows read so far, sampled over time, for the tracking page's rows/s chart. Keeps at most
 * {@code capacity} samples: when full, every other old sample is dropped, so a long job keeps
 * its whole history at a coarser step.
 */
final class ThroughputHistory {

    /** Rows read by the blocks done at {@code millis} (epoch milliseconds). */
    record Sample(long millis, long rowsRead) {}

    /** Sample intervals a rate is averaged over. */
    static final int WINDOW = 5;

    /** The rate over the intervals before a sample, at that sample's time. */
    record Rate(long millis, double rowsPerSecond) {}

    private final int capacity;
    private final List<Sample> samples = new ArrayList<>();

    ThroughputHistory(int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity must be at least 4 samples: " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized void record(long millis, long rowsRead) {
        if (!samples.isEmpty() && samples.get(samples.size() - 1).millis() >= millis) {
            return;
        }
        if (samples.size() == capacity) {
            List<Sample> kept = new ArrayList<>(capacity / 2 + 1);
            for (int i = 0; i < samples.size(); i += 2) {
                kept.add(samples.get(i));
            }
            samples.clear();
            samples.addAll(kept);
        }
        samples.add(new Sample(millis, rowsRead));
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * Rows per second at each sample but the first, oldest first: over the last
     * {@value #WINDOW} sample intervals, since rows only count when a block is done and one
     * interval alone swings between nothing and a whole block.
     */
    synchronized List<Rate> rates() {
        List<Rate> rates = new ArrayList<>(Math.max(0, samples.size() - 1));
        for (int i = 1; i < samples.size(); i++) {
            Sample before = samples.get(Math.max(0, i - WINDOW));
            Sample after = samples.get(i);
            rates.add(new Rate(after.millis(), (after.rowsRead() - before.rowsRead()) * 1000.0 / (after.millis() - before.millis())));
        }
        return rates;
    }
}
