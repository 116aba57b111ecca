package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.split.Block;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The AM's book of blocks: hands pending blocks to workers that ask (local blocks first),
 * accepts results, retries failed attempts up to the limit, and after every block succeeded
 * asks the {@link TilingVerifier} which blocks guessed their first record wrong and re-runs
 * those from the known offset. Thread-safe; knows nothing of YARN, so it is tested alone.
 */
final class BlockScheduler {

    /** One attempt handed to a worker. */
    record Assignment(Block block, int attempt, Map<Integer, Long> knownRecordStarts, boolean rerun) {}

    /** Decides, from every block's accepted result, which blocks must re-run from which offsets. */
    interface TilingVerifier {
        /** Block index -> (range index -> offset known to be a record start); empty when exact. */
        Map<Integer, Map<Integer, Long>> reruns(List<Block> blocks, List<BlockResult> results);
    }

    /** An attempt given up because its worker made no progress. */
    record Stalled(String worker, int block, int attempt, String reason) {}

    /** An attempt handed out; progress is the worker's byte count and when it last changed. */
    private record Running(String worker, int attempt, long startedMillis, long progressBytes, long progressMillis) {
        Running progressed(long bytes, long now) {
            return bytes == progressBytes ? this : new Running(worker, attempt, startedMillis, bytes, now);
        }
    }

    private final List<Block> blocks;
    private final int maxAttempts;
    private final TilingVerifier tilingVerifier;
    private final LongSupplier clock;

    private final BlockStatus.State[] states;
    private final int[] attempts;
    private final int[] failures;
    private final String[] lastErrors;
    private final BlockResult[] results;
    private final Running[] running;
    private final boolean[] rerun;
    private final List<Map<Integer, Long>> knownStarts;
    private final Deque<Integer> pending = new ArrayDeque<>();
    private int tilingReruns;
    private int blocksRecovered;
    private long storeRetries;
    private int localAssignments;
    private String failure;

    BlockScheduler(List<Block> blocks, int maxAttempts, TilingVerifier tilingVerifier, LongSupplier clock) {
        this.blocks = List.copyOf(blocks);
        this.maxAttempts = maxAttempts;
        this.tilingVerifier = requireNonNull(tilingVerifier, "tilingVerifier is null");
        this.clock = requireNonNull(clock, "clock is null");
        int n = blocks.size();
        this.states = new BlockStatus.State[n];
        this.attempts = new int[n];
        this.failures = new int[n];
        this.lastErrors = new String[n];
        this.results = new BlockResult[n];
        this.running = new Running[n];
        this.rerun = new boolean[n];
        this.knownStarts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (blocks.get(i).index() != i) {
                throw new IllegalArgumentException("Block at position " + i + " has index " + blocks.get(i).index());
            }
            states[i] = BlockStatus.State.PENDING;
            knownStarts.add(Map.of());
            pending.add(i);
        }
    }

    /**
     * The next block for a worker on {@code host}: a pending block stored on that host if there
     * is one, else the first pending block. Empty when nothing is pending now (blocks may still
     * be running, or the job is over: see {@link #isOver()}).
     */
    synchronized Optional<Assignment> next(String worker, String host) {
        if (failure != null || pending.isEmpty()) {
            return Optional.empty();
        }
        Integer chosen = null;
        for (Iterator<Integer> it = pending.iterator(); it.hasNext(); ) {
            Integer candidate = it.next();
            if (blocks.get(candidate).hosts().contains(host)) {
                chosen = candidate;
                it.remove();
                localAssignments++;
                break;
            }
        }
        if (chosen == null) {
            chosen = pending.poll();
        }
        int block = chosen;
        attempts[block]++;
        states[block] = BlockStatus.State.RUNNING;
        long now = clock.getAsLong();
        running[block] = new Running(worker, attempts[block], now, -1, now);
        return Optional.of(new Assignment(blocks.get(block), attempts[block], knownStarts.get(block), rerun[block]));
    }

    /**
     * Accepts a successful attempt; a late report of a superseded attempt is ignored.
     *
     * @return the accepted result, or null when the report was ignored
     */
    synchronized BlockResult succeeded(String worker, int block, int attempt, String host, BlockOutcome outcome) {
        Running current = running[block];
        if (current == null || current.attempt() != attempt) {
            return null;
        }
        running[block] = null;
        results[block] = new BlockResult(block, attempt, host, clock.getAsLong() - current.startedMillis(), rerun[block], outcome);
        states[block] = BlockStatus.State.SUCCEEDED;
        BlockResult accepted = results[block];
        if (allSucceeded()) {
            verifyTiling();
        }
        return accepted;
    }

    /**
     * Takes over what an earlier ApplicationMaster attempt left: new attempts of a block are
     * numbered after {@code attemptsStarted} (so none writes where an earlier one did), and the
     * blocks of {@code results} are done, their parts already written. Call before any block is
     * handed out.
     */
    synchronized void recover(Map<Integer, Integer> attemptsStarted, Map<Integer, BlockResult> recovered) {
        for (Map.Entry<Integer, Integer> entry : attemptsStarted.entrySet()) {
            attempts[entry.getKey()] = Math.max(attempts[entry.getKey()], entry.getValue());
        }
        for (BlockResult result : recovered.values()) {
            int block = result.block();
            attempts[block] = Math.max(attempts[block], result.attempt());
            results[block] = result;
            states[block] = BlockStatus.State.SUCCEEDED;
            pending.remove(block);
            blocksRecovered++;
        }
        if (!blocks.isEmpty() && allSucceeded()) {
            verifyTiling();
        }
    }

    /** Blocks taken as done from an earlier ApplicationMaster attempt ({@link #recover}). */
    /** Adds the store requests one task attempt retried (S3 throttling and such). */
    synchronized void addStoreRetries(long retries) {
        if (retries > 0) {
            storeRetries += retries;
        }
    }

    /** Store requests the task attempts retried, as they reported them. */
    synchronized long storeRetries() {
        return storeRetries;
    }

    synchronized int blocksRecovered() {
        return blocksRecovered;
    }

    /** Records a failed attempt; the block is retried until it has failed {@code maxAttempts} times. */
    synchronized void failed(String worker, int block, int attempt, String error) {
        Running current = running[block];
        if (current == null || current.attempt() != attempt) {
            return;
        }
        running[block] = null;
        lastErrors[block] = error;
        failures[block]++;
        if (failures[block] >= maxAttempts) {
            states[block] = BlockStatus.State.FAILED;
            if (failure == null) {
                failure = "Block %d failed %d of %d attempts; last error: %s".formatted(block, failures[block], maxAttempts, error);
            }
        } else {
            states[block] = BlockStatus.State.PENDING;
            pending.addFirst(block);
        }
    }

    /** The attempt found bad input: retrying would read the same bytes, so the job fails now. */
    synchronized void badInput(int block, int attempt, String error) {
        Running current = running[block];
        if (current == null || current.attempt() != attempt) {
            return;
        }
        running[block] = null;
        lastErrors[block] = error;
        failures[block]++;
        states[block] = BlockStatus.State.FAILED;
        if (failure == null) {
            failure = "Bad input in block %d: %s".formatted(block, error);
        }
    }

    /** A worker's container ended: every attempt it was running failed with {@code reason}. */
    synchronized void workerLost(String worker, String reason) {
        for (int block = 0; block < running.length; block++) {
            Running current = running[block];
            if (current != null && current.worker().equals(worker)) {
                failed(worker, block, current.attempt(), "worker " + worker + " was lost: " + reason);
            }
        }
    }

    /**
     * A worker's heartbeat: it runs {@code attempt} of {@code block} and its JVM has moved
     * {@code bytesMoved} bytes so far.
     *
     * @return whether that attempt is still wanted (false once it was given up or superseded)
     */
    synchronized boolean heartbeat(String worker, int block, int attempt, long bytesMoved) {
        if (block < 0 || block >= running.length) {
            return true;
        }
        Running current = running[block];
        if (current == null || current.attempt() != attempt || !current.worker().equals(worker)) {
            return false;
        }
        running[block] = current.progressed(bytesMoved, clock.getAsLong());
        return true;
    }

    /**
     * Gives up every attempt whose worker reported no progress for {@code stallMillis} (or never
     * reported at all since the attempt started): each fails like a lost worker and is retried
     * elsewhere while attempts remain. The caller stops the workers returned.
     */
    synchronized List<Stalled> expireStalled(long stallMillis) {
        long now = clock.getAsLong();
        List<Stalled> stalled = new ArrayList<>();
        for (int block = 0; block < running.length; block++) {
            Running current = running[block];
            if (current != null && now - current.progressMillis() >= stallMillis) {
                String reason = "block %d attempt %d made no progress for %d ms on worker %s (%s)".formatted(block,
                        current.attempt(), now - current.progressMillis(), current.worker(), YarnAppConfig.WORKER_STALL_TIMEOUT_MS);
                stalled.add(new Stalled(current.worker(), block, current.attempt(), reason));
                failed(current.worker(), block, current.attempt(), reason);
            }
        }
        return stalled;
    }

    /** Fails the whole job now (for example the AM is being killed). */
    synchronized void abort(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /** True when every block succeeded and the record ranges tile every file exactly. */
    synchronized boolean isComplete() {
        return failure == null && allSucceeded();
    }

    /** True when the job can make no more progress: complete or failed. */
    synchronized boolean isOver() {
        return failure != null || allSucceeded();
    }

    synchronized Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Blocks not yet succeeded (pending or running). */
    synchronized int remaining() {
        int count = 0;
        for (BlockStatus.State state : states) {
            if (state != BlockStatus.State.SUCCEEDED) {
                count++;
            }
        }
        return count;
    }

    /**
     * Blocks that ran more than one attempt, for any reason: a failed attempt, a lost or
     * stalled worker, or a wrong start found by the tiling check.
     */
    synchronized int blocksRerun() {
        int count = 0;
        for (int attemptsOfBlock : attempts) {
            if (attemptsOfBlock > 1) {
                count++;
            }
        }
        return count;
    }

    /** Blocks re-run because the tiling check found they started at a wrong record boundary. */
    synchronized int tilingReruns() {
        return tilingReruns;
    }

    synchronized int totalAttempts() {
        int total = 0;
        for (int count : attempts) {
            total += count;
        }
        return total;
    }

    synchronized int localAssignments() {
        return localAssignments;
    }

    /** The accepted results, in block order; complete once {@link #isComplete()}. */
    synchronized List<BlockResult> results() {
        List<BlockResult> accepted = new ArrayList<>();
        for (BlockResult result : results) {
            if (result != null) {
                accepted.add(result);
            }
        }
        return accepted;
    }

    synchronized List<BlockStatus> statuses() {
        List<BlockStatus> statuses = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            BlockResult shown = states[i] == BlockStatus.State.SUCCEEDED ? results[i] : null;
            Running current = running[i];
            statuses.add(new BlockStatus(i, states[i], attempts[i], blocks.get(i).length(), lastErrors[i], shown,
                    current == null ? null : current.worker()));
        }
        return statuses;
    }

    private boolean allSucceeded() {
        for (BlockStatus.State state : states) {
            if (state != BlockStatus.State.SUCCEEDED) {
                return false;
            }
        }
        return true;
    }

    private void verifyTiling() {
        Map<Integer, Map<Integer, Long>> reruns = tilingVerifier.reruns(blocks, List.of(results));
        for (Map.Entry<Integer, Map<Integer, Long>> entry : reruns.entrySet()) {
            int block = entry.getKey();
            Map<Integer, Long> starts = new HashMap<>(knownStarts.get(block));
            starts.putAll(entry.getValue());
            if (starts.equals(knownStarts.get(block)) && rerun[block]) {
                failure = "Block %d was re-run from known record starts %s and still does not tile its file".formatted(block, starts);
                return;
            }
            knownStarts.set(block, Map.copyOf(starts));
            if (!rerun[block]) {
                tilingReruns++;
            }
            rerun[block] = true;
            results[block] = null;
            states[block] = BlockStatus.State.PENDING;
            pending.add(block);
        }
    }
}
