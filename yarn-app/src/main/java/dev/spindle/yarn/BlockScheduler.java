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
 *
 * <p>Stragglers: when nothing is pending, a worker that asks gets a second, speculative attempt
 * of a block whose only attempt has run longer than {@link Speculation#factor()} times the
 * median of the finished blocks (and at least {@link Speculation#minRuntimeMillis()}), once at
 * least half the blocks finished. The first attempt of a block to succeed is accepted; the
 * others are superseded: {@link #takeSuperseded()} names their workers for the AM to stop, and
 * their output is never committed.
 */
final class BlockScheduler {

    /** One attempt handed to a worker. */
    record Assignment(Block block, int attempt, Map<Integer, Long> knownRecordStarts, boolean rerun) {}

    /** Decides, from every block's accepted result, which blocks must re-run from which offsets. */
    interface TilingVerifier {
        /** Block index -> (range index -> offset known to be a record start); empty when exact. */
        Map<Integer, Map<Integer, Long>> reruns(List<Block> blocks, List<BlockResult> results);
    }

    /**
     * When to start a speculative attempt of a straggling block.
     *
     * @param enabled whether stragglers get a speculative attempt at all
     * @param factor a block's attempt is a straggler once it ran this many times the median of the finished blocks
     * @param minRuntimeMillis and at least this long
     */
    record Speculation(boolean enabled, double factor, long minRuntimeMillis) {
        static Speculation off() {
            return new Speculation(false, 1, 0);
        }
    }

    /** An attempt given up because its worker made no progress. */
    record Stalled(String worker, int block, int attempt, String reason) {}

    /** An attempt handed out; progress is the worker's byte count and when it last changed. */
    private record Running(String worker, String host, int attempt, long startedMillis, long progressBytes, long progressMillis) {
        Running progressed(long bytes, long now) {
            return bytes == progressBytes ? this : new Running(worker, host, attempt, startedMillis, bytes, now);
        }
    }

    private final List<Block> blocks;
    private final int maxAttempts;
    private final TilingVerifier tilingVerifier;
    private final LongSupplier clock;
    private final Speculation speculation;

    private final BlockStatus.State[] states;
    private final int[] attempts;
    /** Speculative attempts started per block (at most one). */
    private final int[] speculative;
    private final int[] failures;
    private final String[] lastErrors;
    private final BlockResult[] results;
    /** The live attempts of every block: none, one, or two while a speculative attempt runs. */
    private final List<List<Running>> running;
    /** Workers whose attempt lost to another attempt of its block, not yet stopped by the AM. */
    private final Deque<String> toStop = new ArrayDeque<>();
    /** Every worker whose attempt was superseded: its end is the AM's doing, not a failure. */
    private final java.util.Set<String> supersededWorkers = new java.util.HashSet<>();
    /** Every worker with an attempt given up as stalled: the AM stops its container. */
    private final java.util.Set<String> stalledWorkers = new java.util.HashSet<>();
    private final boolean[] rerun;
    private final List<Map<Integer, Long>> knownStarts;
    private final Deque<Integer> pending = new ArrayDeque<>();
    private int tilingReruns;
    private int blocksRecovered;
    private long storeRetries;
    private int localAssignments;
    private String failure;

    /** A scheduler that never speculates. */
    BlockScheduler(List<Block> blocks, int maxAttempts, TilingVerifier tilingVerifier, LongSupplier clock) {
        this(blocks, maxAttempts, tilingVerifier, clock, Speculation.off());
    }

    BlockScheduler(List<Block> blocks, int maxAttempts, TilingVerifier tilingVerifier, LongSupplier clock, Speculation speculation) {
        this.speculation = requireNonNull(speculation, "speculation is null");
        this.blocks = List.copyOf(blocks);
        this.maxAttempts = maxAttempts;
        this.tilingVerifier = requireNonNull(tilingVerifier, "tilingVerifier is null");
        this.clock = requireNonNull(clock, "clock is null");
        int n = blocks.size();
        this.states = new BlockStatus.State[n];
        this.attempts = new int[n];
        this.speculative = new int[n];
        this.failures = new int[n];
        this.lastErrors = new String[n];
        this.results = new BlockResult[n];
        this.running = new ArrayList<>(n);
        this.rerun = new boolean[n];
        this.knownStarts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (blocks.get(i).index() != i) {
                throw new IllegalArgumentException("Block at position " + i + " has index " + blocks.get(i).index());
            }
            states[i] = BlockStatus.State.PENDING;
            running.add(new ArrayList<>(2));
            knownStarts.add(Map.of());
            pending.add(i);
        }
    }

    /**
     * The next block for a worker on {@code host}: a pending block stored on that host if there
     * is one, else the first pending block, else a speculative attempt of a straggler another
     * worker runs. Empty when there is nothing to do now (blocks may still be running, or the job
     * is over: see {@link #isOver()}).
     */
    synchronized Optional<Assignment> next(String worker, String host) {
        if (failure != null || supersededWorkers.contains(worker) || stalledWorkers.contains(worker)) {
            // a worker the AM is stopping (another slot of its JVM was given up) gets no new block
            return Optional.empty();
        }
        if (pending.isEmpty()) {
            return straggler(worker, host).map(block -> {
                speculative[block]++;
                return start(block, worker, host);
            });
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
        return Optional.of(start(chosen, worker, host));
    }

    private Assignment start(int block, String worker, String host) {
        attempts[block]++;
        states[block] = BlockStatus.State.RUNNING;
        long now = clock.getAsLong();
        running.get(block).add(new Running(worker, host, attempts[block], now, -1, now));
        return new Assignment(blocks.get(block), attempts[block], knownStarts.get(block), rerun[block]);
    }

    /**
     * The longest-running straggler {@code worker} does not run itself, with no speculative
     * attempt yet; one whose attempt runs on another host than {@code host} is preferred.
     */
    private Optional<Integer> straggler(String worker, String host) {
        if (!speculation.enabled()) {
            return Optional.empty();
        }
        List<Long> finished = new ArrayList<>();
        for (BlockResult result : results) {
            if (result != null) {
                finished.add(result.elapsedMillis());
            }
        }
        if (finished.isEmpty() || finished.size() * 2 < blocks.size()) {
            return Optional.empty();
        }
        finished.sort(null);
        int middle = finished.size() / 2;
        double median = finished.size() % 2 == 1 ? finished.get(middle) : (finished.get(middle - 1) + finished.get(middle)) / 2.0;
        double threshold = Math.max(speculation.minRuntimeMillis(), speculation.factor() * median);
        long now = clock.getAsLong();
        Integer best = null;
        long bestRuntime = -1;
        boolean bestElsewhere = false;
        for (int block = 0; block < running.size(); block++) {
            List<Running> live = running.get(block);
            if (live.size() != 1 || speculative[block] > 0 || live.get(0).worker().equals(worker)) {
                continue;
            }
            long runtime = now - live.get(0).startedMillis();
            if (runtime <= threshold) {
                continue;
            }
            boolean elsewhere = !host.equals(live.get(0).host());
            if (best == null || (elsewhere && !bestElsewhere) || (elsewhere == bestElsewhere && runtime > bestRuntime)) {
                best = block;
                bestRuntime = runtime;
                bestElsewhere = elsewhere;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Accepts a successful attempt, the first of its block to succeed; the block's other live
     * attempts are superseded. A late report of a superseded or given-up attempt is ignored.
     *
     * @return the accepted result, or null when the report was ignored
     */
    synchronized BlockResult succeeded(String worker, int block, int attempt, String host, BlockOutcome outcome) {
        Running current = live(block, attempt);
        if (current == null || states[block] == BlockStatus.State.SUCCEEDED) {
            return null;
        }
        List<Running> others = running.get(block);
        others.remove(current);
        for (Running loser : others) {
            toStop.add(loser.worker());
            supersededWorkers.add(loser.worker());
        }
        others.clear();
        results[block] = new BlockResult(block, attempt, host, clock.getAsLong() - current.startedMillis(), rerun[block], outcome);
        states[block] = BlockStatus.State.SUCCEEDED;
        BlockResult accepted = results[block];
        if (allSucceeded()) {
            verifyTiling();
        }
        return accepted;
    }

    /**
     * Workers whose attempt lost to another attempt of the same block since the last call; the
     * AM stops their containers. Their attempts' output is never committed.
     */
    synchronized List<String> takeSuperseded() {
        List<String> taken = List.copyOf(toStop);
        toStop.clear();
        return taken;
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

    /**
     * Records a failed attempt; the block is retried (unless another of its attempts still runs)
     * until it has failed {@code maxAttempts} times.
     */
    synchronized void failed(String worker, int block, int attempt, String error) {
        Running current = live(block, attempt);
        if (current == null) {
            return;
        }
        running.get(block).remove(current);
        lastErrors[block] = oneLine(error);
        failures[block]++;
        if (failures[block] >= maxAttempts) {
            states[block] = BlockStatus.State.FAILED;
            if (failure == null) {
                // the container's log holds the stack trace: say which, for `spindle logs --container`
                failure = "Block %d (%s) failed %d of %d attempts; last error: %s; in the log of %s".formatted(block,
                        describe(blocks.get(block)), failures[block], maxAttempts, lastErrors[block], worker);
            }
        } else if (running.get(block).isEmpty()) {
            states[block] = BlockStatus.State.PENDING;
            pending.addFirst(block);
        }
    }

    /** The attempt found bad input: retrying would read the same bytes, so the job fails now. */
    synchronized void badInput(int block, int attempt, String error) {
        Running current = live(block, attempt);
        if (current == null) {
            return;
        }
        running.get(block).remove(current);
        lastErrors[block] = error;
        failures[block]++;
        states[block] = BlockStatus.State.FAILED;
        if (failure == null) {
            failure = "Bad input in block %d: %s".formatted(block, error);
        }
    }

    /**
     * A worker's container ended: every attempt it was running failed with {@code reason}. A
     * worker that runs several blocks at once ({@link YarnAppConfig#WORKER_VCORES}) may have had
     * other attempts beside the one the AM stopped it for (superseded or stalled): those were
     * not at fault, so they go back to the queue without counting against their block's
     * attempts.
     *
     * @return whether the AM itself ended that worker because its attempt was superseded, so
     *     that its end says nothing about its node
     */
    synchronized boolean workerLost(String worker, String reason) {
        boolean stoppedByAm = supersededWorkers.contains(worker) || stalledWorkers.contains(worker);
        for (int block = 0; block < running.size(); block++) {
            for (Running current : List.copyOf(running.get(block))) {
                if (!current.worker().equals(worker)) {
                    continue;
                }
                if (stoppedByAm) {
                    requeue(block, current);
                } else {
                    failed(worker, block, current.attempt(), "worker " + worker + " was lost: " + reason);
                }
            }
        }
        return supersededWorkers.contains(worker);
    }

    /** Ends a live attempt that was not at fault: its block is pending again unless another attempt runs it. */
    private void requeue(int block, Running attempt) {
        List<Running> live = running.get(block);
        live.remove(attempt);
        if (live.isEmpty() && states[block] == BlockStatus.State.RUNNING) {
            states[block] = BlockStatus.State.PENDING;
            pending.addFirst(block);
        }
    }

    /**
     * A heartbeat of the worker slot that runs {@code attempt} of {@code block}: {@code progress}
     * changes while the attempt gets on (see {@link Protocol.Heartbeat}).
     *
     * @return whether that attempt is still wanted (false once it was given up or superseded)
     */
    synchronized boolean heartbeat(String worker, int block, int attempt, long progress) {
        if (block < 0 || block >= running.size()) {
            return true;
        }
        Running current = live(block, attempt);
        if (current == null || !current.worker().equals(worker)) {
            return false;
        }
        List<Running> live = running.get(block);
        live.set(live.indexOf(current), current.progressed(progress, clock.getAsLong()));
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
        for (int block = 0; block < running.size(); block++) {
            for (Running current : List.copyOf(running.get(block))) {
                if (now - current.progressMillis() >= stallMillis) {
                    String reason = "block %d attempt %d made no progress for %d ms on worker %s (%s)".formatted(block,
                            current.attempt(), now - current.progressMillis(), current.worker(), YarnAppConfig.WORKER_STALL_TIMEOUT_MS);
                    stalled.add(new Stalled(current.worker(), block, current.attempt(), reason));
                    stalledWorkers.add(current.worker());
                    failed(current.worker(), block, current.attempt(), reason);
                }
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
     * Blocks that ran more than one attempt besides speculative ones: after a failed attempt, a
     * lost or stalled worker, or a wrong start found by the tiling check.
     */
    synchronized int blocksRerun() {
        int count = 0;
        for (int block = 0; block < attempts.length; block++) {
            if (attempts[block] - speculative[block] > 1) {
                count++;
            }
        }
        return count;
    }

    /** Speculative attempts started for stragglers; every one is also counted in {@link #totalAttempts()}. */
    synchronized int speculativeAttempts() {
        int total = 0;
        for (int count : speculative) {
            total += count;
        }
        return total;
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
            List<Running> live = running.get(i);
            statuses.add(new BlockStatus(i, states[i], attempts[i], blocks.get(i).length(), lastErrors[i], shown,
                    live.isEmpty() ? null : live.get(0).worker()));
        }
        return statuses;
    }

    private Running live(int block, int attempt) {
        if (block < 0 || block >= running.size()) {
            return null;
        }
        for (Running current : running.get(block)) {
            if (current.attempt() == attempt) {
                return current;
            }
        }
        return null;
    }

    /** Where a block reads: {@code hdfs://nn/in/a.csv bytes 0-134217728}, ranges joined by ", ". */
    static String describe(Block block) {
        StringBuilder text = new StringBuilder();
        for (dev.spindle.io.split.BlockRange range : block.ranges()) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(range.location()).append(" bytes ").append(range.start()).append('-').append(range.end());
        }
        return text.toString();
    }

    /** An error as one line: line breaks (a stack trace, say) become " | ". */
    static String oneLine(String error) {
        return error == null ? null : error.strip().replaceAll("\\s*\\R\\s*", " | ");
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
