package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.UpdateContainerRequest;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.junit.jupiter.api.Test;

/** The allocator's bookkeeping with a hand-written RM client and listener; no YARN. */
class ContainerAllocatorTest {

    private static final ApplicationAttemptId ATTEMPT = ApplicationAttemptId.newInstance(ApplicationId.newInstance(1, 1), 1);

    /** Records what the allocator asks of the RM. */
    private static final class FakeRm extends AMRMClientAsync<ContainerRequest> {
        final List<ContainerRequest> requested = new ArrayList<>();
        final List<ContainerId> released = new ArrayList<>();
        final List<String> blacklisted = new ArrayList<>();
        int nodeManagers = 1;

        FakeRm(AMRMClientAsync.AbstractCallbackHandler handler) {
            super(AMRMClient.createAMRMClient(), 1000, handler);
        }

        @Override
        public void addContainerRequest(ContainerRequest request) {
            requested.add(request);
        }

        @Override
        public void removeContainerRequest(ContainerRequest request) {}

        @Override
        public void releaseAssignedContainer(ContainerId containerId) {
            released.add(containerId);
        }

        @Override
        public RegisterApplicationMasterResponse registerApplicationMaster(String host, int port, String trackingUrl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unregisterApplicationMaster(FinalApplicationStatus status, String message, String trackingUrl) {}

        @Override
        public Resource getAvailableResources() {
            return Resource.newInstance(0, 0);
        }

        @Override
        public int getClusterNodeCount() {
            return nodeManagers;
        }

        @Override
        public void updateBlacklist(List<String> additions, List<String> removals) {
            // what the AM's real client does with the lists (it edits them), short of sending them
            client.updateBlacklist(additions, removals);
            blacklisted.addAll(additions);
        }

        @Override
        public void requestContainerUpdate(Container container, UpdateContainerRequest request) {}

        @Override
        public void updateTrackingUrl(String trackingUrl) {}

        @Override
        public List<? extends java.util.Collection<ContainerRequest>> getMatchingRequests(Priority priority, String resourceName,
                Resource capability) {
            return List.of();
        }
    }

    /** Records what the allocator tells the AM. */
    private static final class Listener implements ContainerAllocator.Listener {
        final List<ContainerId> launched = new ArrayList<>();
        final List<ContainerId> stopped = new ArrayList<>();
        final List<String> ended = new ArrayList<>();
        final List<String> fatal = new ArrayList<>();
        final java.util.Set<String> superseded = new java.util.HashSet<>();
        boolean wants = true;

        @Override
        public void launch(Container container) {
            launched.add(container.getId());
        }

        @Override
        public void stop(Container container) {
            stopped.add(container.getId());
        }

        @Override
        public boolean workerEnded(String containerId, String diagnostics) {
            ended.add(containerId + ": " + diagnostics);
            return superseded.contains(containerId);
        }

        @Override
        public boolean wantsWorkers() {
            return wants;
        }

        @Override
        public void fatal(String message) {
            fatal.add(message);
        }
    }

    private static Container container(int id) {
        return container(id, "nodeA");
    }

    private static Container container(int id, String host) {
        return Container.newInstance(ContainerId.newContainerId(ATTEMPT, id), NodeId.newInstance(host, 1), host + ":2",
                Resource.newInstance(1024, 1), Priority.newInstance(1), null);
    }

    private static ContainerStatus ended(Container container, int exitStatus) {
        return ContainerStatus.newInstance(container.getId(), ContainerState.COMPLETE, "killed by test", exitStatus);
    }

    private final Listener listener = new Listener();
    private final ContainerAllocator allocator = new ContainerAllocator(listener, Resource.newInstance(1024, 1), 1, () -> 0.5);
    private final FakeRm rm = new FakeRm(allocator);

    @Test
    void launchesGrantedContainersReplacesAFailedOneAndGivesUpOverTheBudget() {
        allocator.attach(rm);
        allocator.requestWorkers(List.of(List.of("nodeA"), List.of()));
        assertEquals(2, rm.requested.size());
        assertEquals(List.of("nodeA"), rm.requested.get(0).getNodes());

        Container first = container(2);
        Container second = container(3);
        allocator.onContainersAllocated(List.of(first, second));
        assertEquals(List.of(first.getId(), second.getId()), listener.launched);
        assertEquals(2, allocator.liveWorkers());

        allocator.onContainersCompleted(List.of(ended(first, 137)));
        assertEquals(List.of(first.getId() + ": exit status 137: killed by test"), listener.ended);
        assertEquals(3, rm.requested.size(), "a failed worker is replaced");
        assertEquals(List.of(), listener.fatal);

        allocator.onContainersCompleted(List.of(ended(second, 137)));
        assertEquals(1, listener.fatal.size(), "the second failure is over a budget of 1");
        assertTrue(listener.fatal.get(0).startsWith("Gave up after 2 worker containers failed; last: " + second.getId()), listener.fatal.get(0));
    }

    @Test
    void aContainerThatCannotStartIsAFailedWorkerReplacedOnceEvenWhenTheRmLaterReportsItCompleted() {
        allocator.attach(rm);
        allocator.requestWorkers(List.of(List.of()));
        Container worker = container(2);
        allocator.onContainersAllocated(List.of(worker));

        allocator.startFailed(worker.getId(), new java.io.IOException("NodeManager refused it"));
        assertEquals(0, allocator.liveWorkers());
        assertEquals(2, rm.requested.size(), "a container that cannot start is replaced");
        assertEquals(List.of(), listener.ended, "it never ran a worker, so no block is given up");
        assertEquals(List.of(), listener.fatal, "one failure is within the budget of 1");

        allocator.onContainersCompleted(List.of(ended(worker, -1000)));
        assertEquals(2, rm.requested.size(), "the RM's later report of the same container is not a second failure");
        assertEquals(List.of(), listener.fatal);

        Container second = container(3);
        allocator.onContainersAllocated(List.of(second));
        allocator.startFailed(second.getId(), new java.io.IOException("NodeManager refused it again"));
        assertEquals(1, listener.fatal.size(), "the second failure is over the budget");
        assertTrue(listener.fatal.get(0).contains("cannot start " + second.getId() + ": java.io.IOException: NodeManager refused it again"),
                listener.fatal.get(0));
    }

    @Test
    void workersAskedForBeforePlanningAreToppedUpAfterItWithTheLaterBlocksHostsAndNeverLowered() {
        allocator.attach(rm);
        allocator.requestWorkers(List.of(List.of()));
        assertEquals(1, rm.requested.size(), "the lower bound, before the plan is known");
        Container early = container(2);
        allocator.onContainersAllocated(List.of(early));

        allocator.requestWorkers(List.of(List.of("nodeA"), List.of("nodeB"), List.of("nodeC")));
        assertEquals(3, rm.requested.size(), "only the workers beyond the one already asked for");
        assertEquals(List.of("nodeB"), rm.requested.get(1).getNodes());
        assertEquals(List.of("nodeC"), rm.requested.get(2).getNodes());
        allocator.requestWorkers(List.of(List.of()));
        assertEquals(3, rm.requested.size(), "a smaller number asks for nothing");

        allocator.onContainersCompleted(List.of(ended(early, 137)));
        assertEquals(4, rm.requested.size(), "a failed worker is replaced up to the topped-up number");
    }

    @Test
    void stopsALiveWorkerByItsContainerIdAndReleasesContainersNobodyWants() {
        allocator.attach(rm);
        allocator.requestWorkers(List.of(List.of()));
        Container worker = container(2);
        allocator.onContainersAllocated(List.of(worker));

        allocator.stop(worker.getId().toString());
        assertEquals(List.of(worker.getId()), listener.stopped);
        allocator.stop(container(9).getId().toString());
        assertEquals(1, listener.stopped.size(), "an unknown container is not stopped");

        listener.wants = false;
        Container late = container(3);
        allocator.onContainersAllocated(List.of(late));
        assertEquals(List.of(late.getId()), rm.released);
        assertEquals(0.5f, allocator.getProgress());
    }

    @Test
    void aNodeWhoseContainersFailRepeatedlyIsBlacklistedAndItsLateGrantsAreReleased() {
        NodeFailureTracker nodes = new NodeFailureTracker(2);
        ContainerAllocator tracked = new ContainerAllocator(listener, Resource.newInstance(1024, 1), 10, () -> 0.5, nodes);
        FakeRm fake = new FakeRm(tracked);
        fake.nodeManagers = 2;
        tracked.attach(fake);
        tracked.requestWorkers(List.of(List.of(), List.of()));
        Container bad1 = container(2, "badnode");
        Container good = container(3, "goodnode");
        tracked.onContainersAllocated(List.of(bad1, good));

        tracked.onContainersCompleted(List.of(ended(bad1, 1)));
        assertEquals(List.of(), fake.blacklisted, "one failure is not enough");
        Container bad2 = container(4, "badnode");
        tracked.onContainersAllocated(List.of(bad2));
        tracked.onContainersCompleted(List.of(ended(bad2, 1)));
        assertEquals(List.of("badnode"), fake.blacklisted, "the second failure on badnode excludes it");
        assertEquals(List.of("badnode (2 failed containers; last: " + bad2.getId() + " exit status 1: killed by test)"),
                nodes.describeExcluded());
        assertEquals(List.of(), listener.fatal, "goodnode is left");

        Container late = container(5, "badnode");
        tracked.onContainersAllocated(List.of(late));
        assertTrue(fake.released.contains(late.getId()), "a container granted on an excluded node is given back");
        assertFalse(listener.launched.contains(late.getId()));

        tracked.onContainersCompleted(List.of(ended(good, 1)));
        Container good2 = container(6, "goodnode");
        tracked.onContainersAllocated(List.of(good2));
        // diagnostics over lines, as YARN's for a container that exited non-zero
        tracked.onContainersCompleted(List.of(ContainerStatus.newInstance(good2.getId(), ContainerState.COMPLETE,
                "Exception from container-launch.\nContainer id: " + good2.getId() + "\nExit code: 17\n\nLast 4096 bytes of stderr :\n", 17)));
        assertEquals(List.of("badnode", "goodnode"), fake.blacklisted);
        assertEquals(1, listener.fatal.size());
        assertEquals("Every node of the cluster is excluded after failed worker containers (spindle.yarn.node.max-failures): "
                + "badnode (2 failed containers; last: " + bad2.getId() + " exit status 1: killed by test); "
                + "goodnode (2 failed containers; last: " + good2.getId() + " exit status 17: Exception from container-launch. | Container id: "
                + good2.getId() + " | Exit code: 17 | Last 4096 bytes of stderr :)", listener.fatal.get(0), "one line naming each node");
    }

    @Test
    void aWorkerTheAmEndedBecauseItsAttemptLostIsNoFailureOfItsNode() {
        NodeFailureTracker nodes = new NodeFailureTracker(1);
        ContainerAllocator tracked = new ContainerAllocator(listener, Resource.newInstance(1024, 1), 0, () -> 0.5, nodes);
        FakeRm fake = new FakeRm(tracked);
        tracked.attach(fake);
        tracked.requestWorkers(List.of(List.of()));
        Container loser = container(2);
        tracked.onContainersAllocated(List.of(loser));
        listener.superseded.add(loser.getId().toString());

        tracked.onContainersCompleted(List.of(ended(loser, 143)));
        assertEquals(List.of(), listener.fatal, "not over a budget of 0");
        assertEquals(List.of(), fake.blacklisted);
        assertEquals(0, nodes.failures("nodeA"));
        assertEquals(2, fake.requested.size(), "the worker is replaced");
    }

    @Test
    void aPreemptedOrLostContainerIsReplacedWithoutCostingTheBudgetOrItsNode() {
        NodeFailureTracker nodes = new NodeFailureTracker(1);
        ContainerAllocator tracked = new ContainerAllocator(listener, Resource.newInstance(1024, 1), 0, () -> 0.5, nodes);
        FakeRm fake = new FakeRm(tracked);
        tracked.attach(fake);
        tracked.requestWorkers(List.of(List.of()));
        int[] clusterReasons = {org.apache.hadoop.yarn.api.records.ContainerExitStatus.PREEMPTED,
            org.apache.hadoop.yarn.api.records.ContainerExitStatus.KILLED_BY_RESOURCEMANAGER,
            org.apache.hadoop.yarn.api.records.ContainerExitStatus.ABORTED,
            org.apache.hadoop.yarn.api.records.ContainerExitStatus.DISKS_FAILED};
        int id = 2;
        for (int exit : clusterReasons) {
            Container worker = container(id++);
            tracked.onContainersAllocated(List.of(worker));
            tracked.onContainersCompleted(List.of(ended(worker, exit)));
            assertTrue(listener.ended.contains(worker.getId() + ": exit status " + exit + ": killed by test"),
                    "its block is given up, to be re-run: " + listener.ended);
        }
        assertEquals(List.of(), listener.fatal, "a budget of 0 is not spent by pre-emption");
        assertEquals(List.of(), fake.blacklisted);
        assertEquals(0, nodes.failures("nodeA"));
        assertEquals(1 + clusterReasons.length, fake.requested.size(), "each is replaced");
        assertEquals(clusterReasons.length, tracked.preemptedContainers());

        // a worker the AM stopped (it stalled) and one that died are the job's: over the budget of 0
        Container stalled = container(id);
        tracked.onContainersAllocated(List.of(stalled));
        tracked.onContainersCompleted(List.of(ended(stalled, org.apache.hadoop.yarn.api.records.ContainerExitStatus.KILLED_BY_APPMASTER)));
        assertEquals(1, listener.fatal.size(), listener.fatal.toString());
        assertFalse(ContainerAllocator.notTheJobsFault(137));
        assertFalse(ContainerAllocator.notTheJobsFault(org.apache.hadoop.yarn.api.records.ContainerExitStatus.KILLED_EXCEEDED_PMEM));
    }

    @Test
    void aWorkerEndingAfterTheJobNeedsNoMoreWorkersIsNoFailureOfItsNode() {
        NodeFailureTracker nodes = new NodeFailureTracker(1);
        ContainerAllocator tracked = new ContainerAllocator(listener, Resource.newInstance(1024, 1), 0, () -> 1.0, nodes);
        FakeRm fake = new FakeRm(tracked);
        tracked.attach(fake);
        tracked.requestWorkers(List.of(List.of(), List.of()));
        Container late = container(2);
        Container early = container(3);
        tracked.onContainersAllocated(List.of(late, early));

        listener.wants = false; // every block done: a worker SIGTERMed as the job ends
        tracked.onContainersCompleted(List.of(ended(late, 143)));
        assertEquals(List.of(), listener.fatal, "not over a budget of 0");
        assertEquals(List.of(), fake.blacklisted);
        assertEquals(0, nodes.failures("nodeA"));
        assertEquals(2, fake.requested.size(), "and not replaced");

        // while the job still wants workers, the same exit is a failure of the job's and its node's
        listener.wants = true;
        tracked.onContainersCompleted(List.of(ended(early, 143)));
        assertEquals(1, nodes.failures("nodeA"));
        assertEquals(1, listener.fatal.size(), listener.fatal.toString());
    }
}
