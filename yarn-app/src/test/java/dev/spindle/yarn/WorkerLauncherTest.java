package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.service.Service;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher with a hand-written NodeManager client: what it starts and stops, and where start failures go. */
class WorkerLauncherTest {

    private static final ApplicationAttemptId ATTEMPT = ApplicationAttemptId.newInstance(ApplicationId.newInstance(1, 1), 1);
    private static final URI ENDPOINT = URI.create("http://am-host:4242");

    @TempDir
    java.nio.file.Path directory;

    /** Records what the launcher asks of the NodeManagers. */
    private static final class FakeNm extends NMClientAsync {
        final List<Container> started = new ArrayList<>();
        final List<ContainerLaunchContext> contexts = new ArrayList<>();
        final List<ContainerId> stopped = new ArrayList<>();
        final List<NodeId> stoppedOn = new ArrayList<>();
        final AbstractCallbackHandler handler;

        FakeNm(AbstractCallbackHandler handler) {
            super(handler);
            this.handler = handler;
        }

        @Override
        public void startContainerAsync(Container container, ContainerLaunchContext containerLaunchContext) {
            started.add(container);
            contexts.add(containerLaunchContext);
        }

        @Override
        public void stopContainerAsync(ContainerId containerId, NodeId nodeId) {
            stopped.add(containerId);
            stoppedOn.add(nodeId);
        }

        @Override
        @Deprecated
        public void increaseContainerResourceAsync(Container container) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updateContainerResourceAsync(Container container) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reInitializeContainerAsync(ContainerId containerId, ContainerLaunchContext containerLaunchContex,
                boolean autoCommit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restartContainerAsync(ContainerId containerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void rollbackLastReInitializationAsync(ContainerId containerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commitLastReInitializationAsync(ContainerId containerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void getContainerStatusAsync(ContainerId containerId, NodeId nodeId) {
            throw new UnsupportedOperationException();
        }
    }

    private final List<ContainerId> failedIds = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private FakeNm nm;

    private WorkerLauncher launcher(String... keyValues) throws IOException {
        Files.writeString(directory.resolve(LaunchContexts.JOB_CONF), "<configuration/>");
        Files.writeString(directory.resolve(LaunchContexts.JOB_SPEC), "{}");
        Configuration conf = new Configuration(false);
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.set(keyValues[i], keyValues[i + 1]);
        }
        return new WorkerLauncher(conf, YarnAppConfig.from(conf), new Path("file:" + directory), new Credentials(), ENDPOINT,
                (id, error) -> {
                    failedIds.add(id);
                    failures.add(error);
                },
                handler -> nm = new FakeNm(handler));
    }

    private static Container container(int id, String host) {
        return Container.newInstance(ContainerId.newContainerId(ATTEMPT, id), NodeId.newInstance(host, 1), host + ":2",
                Resource.newInstance(1024, 1), Priority.newInstance(1), null);
    }

    @Test
    void startsTheNodeManagerClientAndStopsItOnClose() throws IOException {
        WorkerLauncher launcher = launcher();
        assertTrue(nm.isInState(Service.STATE.STARTED));

        launcher.close();
        assertTrue(nm.isInState(Service.STATE.STOPPED));
    }

    @Test
    void launchStartsTheWorkerMainWithTheEndpointAndTheWorkerHeap() throws IOException {
        try (WorkerLauncher launcher = launcher(YarnAppConfig.WORKER_MEMORY_MB, "2048")) {
            Container container = container(2, "node-a");
            launcher.launch(container);

            assertEquals(List.of(container), nm.started);
            String command = nm.contexts.get(0).getCommands().get(0);
            assertTrue(command.contains(" -Xmx1536m "), command);
            assertTrue(command.contains(" -Dspindle.container-id={{CONTAINER_ID}} " + WorkerMain.class.getName() + " "
                    + ENDPOINT + " 1>"), command);
            assertEquals(List.of(), failedIds);
        }
    }

    @Test
    void aFailedStartReachesTheCallbackWithItsContainerAndError() throws IOException {
        try (WorkerLauncher launcher = launcher()) {
            Container container = container(3, "node-b");
            launcher.launch(container);
            IOException error = new IOException("NodeManager node-b:1 refused the container");

            nm.handler.onStartContainerError(container.getId(), error);

            assertEquals(List.of(container.getId()), failedIds);
            assertSame(error, failures.get(0));
        }
    }

    @Test
    void otherNodeManagerEventsAreNotStartFailures() throws IOException {
        try (WorkerLauncher launcher = launcher()) {
            Container container = container(4, "node-c");
            launcher.launch(container);

            nm.handler.onContainerStarted(container.getId(), Map.of());
            nm.handler.onContainerStopped(container.getId());
            nm.handler.onStopContainerError(container.getId(), new IOException("already gone"));
            nm.handler.onGetContainerStatusError(container.getId(), new IOException("no status"));

            assertEquals(List.of(), failedIds);
        }
    }

    @Test
    void stopAsksTheContainersNodeManager() throws IOException {
        try (WorkerLauncher launcher = launcher()) {
            Container container = container(5, "node-d");
            launcher.stop(container);

            assertEquals(List.of(container.getId()), nm.stopped);
            assertEquals(List.of(NodeId.newInstance("node-d", 1)), nm.stoppedOn);
        }
    }

    @Test
    void theCapabilityIsTheWorkersMemoryAndVcores() throws IOException {
        try (WorkerLauncher launcher = launcher(YarnAppConfig.WORKER_MEMORY_MB, "3072", YarnAppConfig.WORKER_VCORES, "2")) {
            assertEquals(Resource.newInstance(3072, 2), launcher.capability());
        }
    }
}
