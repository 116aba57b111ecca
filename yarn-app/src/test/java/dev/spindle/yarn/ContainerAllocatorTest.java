package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            return 1;
        }

        @Override
        public void updateBlacklist(List<String> additions, List<String> removals) {}

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
        public void workerEnded(String containerId, String diagnostics) {
            ended.add(containerId + ": " + diagnostics);
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
        return Container.newInstance(ContainerId.newContainerId(ATTEMPT, id), NodeId.newInstance("nodeA", 1), "nodeA:2",
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
}
