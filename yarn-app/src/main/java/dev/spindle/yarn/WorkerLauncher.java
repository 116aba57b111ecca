package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;

/** Starts worker JVMs in allocated containers; only builds launch contexts and talks to NMs. */
final class WorkerLauncher implements AutoCloseable {

    private final NMClientAsync nmClient;
    private final Configuration conf;
    private final YarnAppConfig config;
    private final Path stagingDir;
    private final Credentials credentials;
    private final URI endpoint;

    /**
     * @param onStartFailure called with the container id and the error when a start fails
     */
    WorkerLauncher(Configuration conf, YarnAppConfig config, Path stagingDir, Credentials credentials, URI endpoint,
            BiConsumer<ContainerId, Throwable> onStartFailure) {
        this(conf, config, stagingDir, credentials, endpoint, onStartFailure, NMClientAsync::createNMClientAsync);
    }

    /** As above, with the NodeManager client made by {@code nmClients} from the launcher's callbacks (tests pass a fake). */
    WorkerLauncher(Configuration conf, YarnAppConfig config, Path stagingDir, Credentials credentials, URI endpoint,
            BiConsumer<ContainerId, Throwable> onStartFailure,
            Function<NMClientAsync.AbstractCallbackHandler, NMClientAsync> nmClients) {
        this.conf = requireNonNull(conf, "conf is null");
        this.config = requireNonNull(config, "config is null");
        this.stagingDir = requireNonNull(stagingDir, "stagingDir is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.nmClient = nmClients.apply(new Callbacks(requireNonNull(onStartFailure, "onStartFailure is null")));
        nmClient.init(conf);
        nmClient.start();
    }

    void launch(Container container) throws IOException {
        ContainerLaunchContext context = LaunchContexts.create(conf, config, stagingDir, WorkerMain.class.getName(),
                config.workerMemoryMb(), List.of(endpoint.toString()), credentials);
        nmClient.startContainerAsync(container, context);
    }

    /** Asks the container's NodeManager to stop it (kills the worker JVM). */
    void stop(Container container) {
        nmClient.stopContainerAsync(container.getId(), container.getNodeId());
    }

    Resource capability() {
        return Resource.newInstance(config.workerMemoryMb(), config.workerVcores());
    }

    @Override
    public void close() {
        nmClient.stop();
    }

    private static final class Callbacks extends NMClientAsync.AbstractCallbackHandler {
        private final BiConsumer<ContainerId, Throwable> onStartFailure;

        Callbacks(BiConsumer<ContainerId, Throwable> onStartFailure) {
            this.onStartFailure = onStartFailure;
        }

        @Override
        public void onStartContainerError(ContainerId containerId, Throwable t) {
            onStartFailure.accept(containerId, t);
        }

        @Override
        public void onContainerStarted(ContainerId containerId, Map<String, ByteBuffer> allServiceResponse) {}

        @Override
        public void onContainerStatusReceived(ContainerId containerId, ContainerStatus containerStatus) {}

        @Override
        public void onContainerStopped(ContainerId containerId) {}

        @Override
        public void onContainerResourceIncreased(ContainerId containerId, Resource resource) {}

        @Override
        public void onContainerResourceUpdated(ContainerId containerId, Resource resource) {}

        @Override
        public void onGetContainerStatusError(ContainerId containerId, Throwable t) {}

        @Override
        public void onIncreaseContainerResourceError(ContainerId containerId, Throwable t) {}

        @Override
        public void onUpdateContainerResourceError(ContainerId containerId, Throwable t) {}

        @Override
        public void onStopContainerError(ContainerId containerId, Throwable t) {}
    }
}
