package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What the cluster tests of this module wait for: workers busy with blocks. */
final class RunningWorkers {

    private RunningWorkers() {}

    /** The container ids of {@code count} distinct workers running blocks, once there are as many. */
    static List<String> await(JobHandle handle, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            Set<String> workers = new TreeSet<>();
            handle.lastStatus().ifPresent(status -> status.blocks().stream()
                    .filter(block -> block.state() == BlockStatus.State.RUNNING && block.worker() != null)
                    .forEach(block -> workers.add(block.worker())));
            if (workers.size() >= count) {
                return List.copyOf(workers);
            }
            assertTrue(System.currentTimeMillis() < deadline, "fewer than " + count + " workers running blocks: " + workers);
            Thread.sleep(100);
        }
    }
}
