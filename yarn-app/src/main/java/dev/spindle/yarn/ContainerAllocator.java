package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;

/**
 * Keeps the wanted number of worker containers: asks the RM for them with the blocks' hosts as
 * preferences (locality relaxed), starts each granted one, replaces workers that end while
 * blocks remain, and gives up once more containers failed than the budget allows.
 */
final class ContainerAllocator extends AMRMClientAsync.AbstractCallbackHandler {

    /** What the allocator needs from the rest of the AM. */
    interface Listener {
        /** A granted container should run a worker. */
        void launch(Container container) throws Exception;

        /** A running worker must be stopped (it stalled). */
        void stop(Container container);

        /**
         * A worker's container ended.
         *
         * @return whether the AM itself ended it because its attempt lost to a speculative one
         *     (then its exit is no failure of its node)
         */
        boolean workerEnded(String containerId, String diagnostics);

        /** Whether more workers are still useful (blocks pending or running). */
        boolean wantsWorkers();

        /** The allocator cannot keep workers alive. */
        void fatal(String message);

        /**
         * The ResourceManager no longer knows this attempt (a newer attempt of the application runs,
         * or the application ended) and told it to stop: nothing it shares with a next attempt may
         * be touched any more.
         */
        default void shutdownRequested(String message) {
            fatal(message);
        }
    }

    private static final Priority PRIORITY = Priority.newInstance(1);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContainerAllocator.class);

    private final Listener listener;
    private final Resource capability;
    private final int failureBudget;
    private final DoubleSupplier progress;
    private final NodeFailureTracker nodes;
    /** NodeManagers seen per host, to know when every node is excluded. */
    private final Map<String, Set<NodeId>> nodeManagers = new HashMap<>();
    private final Deque<ContainerRequest> outstanding = new ArrayDeque<>();
    private final Map<ContainerId, Container> live = new HashMap<>();
    private AMRMClientAsync<ContainerRequest> client;
    private int wanted;
    private int failedContainers;
    private int preemptedContainers;
    private String lastFailure = "";

    ContainerAllocator(Listener listener, Resource capability, int failureBudget, DoubleSupplier progress) {
        this(listener, capability, failureBudget, progress, new NodeFailureTracker(Integer.MAX_VALUE));
    }

    ContainerAllocator(Listener listener, Resource capability, int failureBudget, DoubleSupplier progress, NodeFailureTracker nodes) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.capability = requireNonNull(capability, "capability is null");
        this.failureBudget = failureBudget;
        this.progress = requireNonNull(progress, "progress is null");
    }

    void attach(AMRMClientAsync<ContainerRequest> client) {
        this.client = requireNonNull(client, "client is null");
    }

    /**
     * Raises the wanted workers to {@code hostsPerWorker.size()}: requests the i-th, preferring
     * the hosts of {@code hostsPerWorker[i]}, for each i from the number already wanted. Never
     * lowers it: the AM asks for a lower bound early (before planning), then tops it up.
     */
    synchronized void requestWorkers(List<List<String>> hostsPerWorker) {
        for (int i = wanted; i < hostsPerWorker.size(); i++) {
            request(hostsPerWorker.get(i));
        }
        wanted = Math.max(wanted, hostsPerWorker.size());
    }

    synchronized int liveWorkers() {
        return live.size();
    }

    private void request(List<String> hosts) {
        Set<String> unique = new LinkedHashSet<>(hosts);
        String[] nodes = unique.isEmpty() ? null : unique.toArray(new String[0]);
        ContainerRequest request = new ContainerRequest(capability, nodes, null, PRIORITY, true);
        outstanding.add(request);
        client.addContainerRequest(request);
    }

    @Override
    public synchronized void onContainersAllocated(List<Container> containers) {
        for (Container container : containers) {
            ContainerRequest satisfied = outstanding.poll();
            if (satisfied == null || !listener.wantsWorkers()) {
                if (satisfied != null) {
                    client.removeContainerRequest(satisfied);
                }
                client.releaseAssignedContainer(container.getId());
                continue;
            }
            client.removeContainerRequest(satisfied);
            if (nodes.isExcluded(container.getNodeId().getHost())) {
                // granted before the RM applied the blacklist
                client.releaseAssignedContainer(container.getId());
                request(List.of());
                continue;
            }
            nodeManagers.computeIfAbsent(container.getNodeId().getHost(), host -> new java.util.HashSet<>()).add(container.getNodeId());
            live.put(container.getId(), container);
            try {
                listener.launch(container);
            } catch (Exception e) {
                live.remove(container.getId());
                client.releaseAssignedContainer(container.getId());
                containerFailed(container, "cannot launch " + container.getId() + ": " + e);
            }
        }
    }

    @Override
    public void onContainersCompleted(List<ContainerStatus> statuses) {
        for (ContainerStatus status : statuses) {
            String diagnostics = "exit status %d: %s".formatted(status.getExitStatus(), status.getDiagnostics().strip());
            Container ended;
            synchronized (this) {
                ended = live.remove(status.getContainerId());
                notifyAll();
            }
            if (ended == null) {
                continue;
            }
            boolean superseded = listener.workerEnded(status.getContainerId().toString(), diagnostics);
            synchronized (this) {
                if (notTheJobsFault(status.getExitStatus())) {
                    preemptedContainers++;
                    LOG.info("Worker {} ended for a reason of the cluster's ({}): replaced, its block re-run, no failure counted",
                            status.getContainerId(), diagnostics);
                }
                boolean failure = status.getExitStatus() != 0 && !superseded && !notTheJobsFault(status.getExitStatus());
                if (failure && !listener.wantsWorkers()) {
                    // the blocks are done (or the job failed): nothing is lost, and no worker will
                    // be placed on its node again; a SIGTERM as the job ends is no failure of it
                    LOG.info("Worker {} ended after the job needed no more workers ({}): not counted as a failure",
                            status.getContainerId(), diagnostics);
                } else if (failure) {
                    containerFailed(ended, status.getContainerId() + " " + diagnostics);
                } else if (listener.wantsWorkers() && live.size() + outstanding.size() < wanted) {
                    request(List.of());
                }
            }
        }
    }

    /**
     * Whether a container ended for a reason of the cluster's, not of the job's or its node's: pre-empted by
     * the scheduler, killed by the RM (its node lost or decommissioned, the application moved),
     * aborted (released, or on a node the RM lost), or its node's disks failed. Its block is
     * re-run and the worker replaced, as for any worker that ended, but it costs nothing of the
     * failure budget and is not charged to its node (YARN marks a node with failed disks
     * unhealthy itself), as MapReduce and Spark count them. A worker the AM stopped (a stall)
     * ends with {@code KILLED_BY_APPMASTER} and stays a failure.
     */
    static boolean notTheJobsFault(int exitStatus) {
        return exitStatus == ContainerExitStatus.PREEMPTED || exitStatus == ContainerExitStatus.KILLED_BY_RESOURCEMANAGER
                || exitStatus == ContainerExitStatus.ABORTED || exitStatus == ContainerExitStatus.DISKS_FAILED
                || exitStatus == ContainerExitStatus.KILLED_AFTER_APP_COMPLETION
                || exitStatus == ContainerExitStatus.KILLED_BY_CONTAINER_SCHEDULER;
    }

    /** Worker containers that ended for a reason of the cluster's ({@link #notTheJobsFault}) so far. */
    synchronized int preemptedContainers() {
        return preemptedContainers;
    }

    /**
     * A container that ran a worker or was meant to failed: its node is charged with it (and
     * excluded after too many), and it is replaced while the budget lasts. The failure is kept
     * as one line ({@link BlockScheduler#oneLine}).
     */
    synchronized void containerFailed(Container container, String failure) {
        // one line for the summary and the job's message: YARN's diagnostics span lines (the stderr tail)
        String description = BlockScheduler.oneLine(failure);
        failedContainers++;
        lastFailure = description;
        String host = container.getNodeId().getHost();
        if (nodes.failed(host, description)) {
            // mutable lists: AMRMClientImpl.updateBlacklist calls removeAll on the additions it is given
            client.updateBlacklist(new java.util.ArrayList<>(List.of(host)), new java.util.ArrayList<>());
            int excludedNodeManagers = 0;
            for (String excluded : nodes.excluded()) {
                excludedNodeManagers += nodeManagers.getOrDefault(excluded, Set.of()).size();
            }
            if (excludedNodeManagers >= client.getClusterNodeCount()) {
                listener.fatal("Every node of the cluster is excluded after failed worker containers (%s): %s"
                        .formatted(YarnAppConfig.NODE_MAX_FAILURES, String.join("; ", nodes.describeExcluded())));
                return;
            }
        }
        if (failedContainers > failureBudget) {
            listener.fatal("Gave up after %d worker containers failed; last: %s".formatted(failedContainers, lastFailure));
            return;
        }
        if (listener.wantsWorkers() && live.size() + outstanding.size() < wanted) {
            request(List.of());
        }
    }

    synchronized void startFailed(ContainerId containerId, Throwable error) {
        Container failedStart = live.remove(containerId);
        if (failedStart != null) {
            notifyAll();
            containerFailed(failedStart, "cannot start " + containerId + ": " + error);
        }
    }

    /** Asks the NodeManager to stop the worker in container {@code containerId}, if it is live. */
    void stop(String containerId) {
        Container container;
        synchronized (this) {
            container = live.get(ContainerId.fromString(containerId));
        }
        if (container != null) {
            listener.stop(container);
        }
    }

    /** The worker containers running now. */
    synchronized List<Container> liveContainers() {
        return List.copyOf(live.values());
    }

    /**
     * Waits until YARN reported every worker container ended, or the time is up.
     *
     * @return whether no worker is left
     */
    synchronized boolean awaitNoWorkers(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!live.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /**
     * Waits until YARN reported every one of {@code containerIds} ended (or never knew it), or
     * the time is up.
     *
     * @return whether none of them is left
     */
    synchronized boolean awaitEnded(java.util.Collection<String> containerIds, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (containerIds.stream().anyMatch(id -> live.containsKey(ContainerId.fromString(id)))) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @Override
    public void onContainersUpdated(List<UpdatedContainer> containers) {}

    @Override
    public void onShutdownRequest() {
        listener.shutdownRequested("The ResourceManager asked the ApplicationMaster to shut down");
    }

    @Override
    public void onNodesUpdated(List<NodeReport> updatedNodes) {}

    @Override
    public float getProgress() {
        return (float) progress.getAsDouble();
    }

    @Override
    public void onError(Throwable e) {
        listener.fatal("Lost the ResourceManager: " + e);
    }
}
