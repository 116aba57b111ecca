package dev.spindle.yarn;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts the worker containers of this job that failed on each node and names the nodes that
 * failed too often to get more: after {@code maxFailures} failures a node is excluded for the
 * rest of the job (the AM puts it on its ResourceManager blacklist). Thread-safe; knows nothing
 * of YARN, so it is tested alone.
 */
final class NodeFailureTracker {

    private final int maxFailures;
    private final Map<String, Integer> failures = new TreeMap<>();
    private final Map<String, String> lastFailure = new TreeMap<>();
    private final Set<String> excluded = new TreeSet<>();

    NodeFailureTracker(int maxFailures) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1: " + maxFailures);
        }
        this.maxFailures = maxFailures;
    }

    /**
     * Records that a container on {@code node} failed.
     *
     * @return true exactly once per node: when this failure is the one that excludes it
     */
    synchronized boolean failed(String node, String description) {
        int count = failures.merge(node, 1, Integer::sum);
        lastFailure.put(node, description);
        return count >= maxFailures && excluded.add(node);
    }

    synchronized boolean isExcluded(String node) {
        return excluded.contains(node);
    }

    /** The excluded nodes, sorted. */
    synchronized List<String> excluded() {
        return List.copyOf(excluded);
    }

    /** The excluded nodes as the summary shows them: {@code node (3 failed containers; last: ...)}. */
    synchronized List<String> describeExcluded() {
        return excluded.stream()
                .map(node -> "%s (%d failed containers; last: %s)".formatted(node, failures.get(node), lastFailure.get(node)))
                .toList();
    }

    synchronized int failures(String node) {
        return failures.getOrDefault(node, 0);
    }
}
