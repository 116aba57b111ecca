package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.store.FileStore;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.webapp.util.WebAppUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the {@link TrackingPage} at the AM's tracking URL and keeps what the page shows beyond
 * the job's status: rows read over time, the containers seen and the first rejects, sampled once
 * a second. When the job has succeeded, {@link #writeFinal} leaves the last page beside the
 * manifest as {@value #FINAL_PAGE}, which readers skip like every {@code _} name.
 */
final class TrackingPageHandler implements HttpHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingPageHandler.class);
    /** The last state of a successful job's page, in its output directory. */
    static final String FINAL_PAGE = "_spindle-status.html";
    static final int REJECTS_SHOWN = 20;
    private static final int SAMPLES_KEPT = 240;

    private final Supplier<JobStatus> status;
    private final Supplier<List<Container>> liveContainers;
    private final ContainerLogLinks containers;
    private final RejectSample rejects;
    private final FileStore store;
    private final LongSupplier clock;
    private final ThroughputHistory history = new ThroughputHistory(SAMPLES_KEPT);
    private final ScheduledExecutorService sampler;

    /**
     * @param status the job's status now
     * @param liveContainers the worker containers running now
     * @param containers the containers the page links to; the AM's own already added
     * @param attemptDirectory the directory of (block, attempt), where an attempt's rejects are
     */
    TrackingPageHandler(Supplier<JobStatus> status, Supplier<List<Container>> liveContainers, ContainerLogLinks containers,
            FileStore store, BiFunction<Integer, Integer, String> attemptDirectory, LongSupplier clock) {
        this.status = requireNonNull(status, "status is null");
        this.liveContainers = requireNonNull(liveContainers, "liveContainers is null");
        this.containers = requireNonNull(containers, "containers is null");
        this.store = requireNonNull(store, "store is null");
        this.rejects = new RejectSample(store, attemptDirectory, REJECTS_SHOWN);
        this.clock = requireNonNull(clock, "clock is null");
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spindle-am-page-sampler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The page of the ApplicationMaster running in this container: its own container's logs come
     * from the NodeManager's environment ({@code CONTAINER_ID}, {@code NM_HOST}, {@code NM_HTTP_PORT}).
     */
    static TrackingPageHandler forApplicationMaster(Configuration conf, Supplier<JobStatus> status,
            Supplier<List<Container>> liveContainers, FileStore store, BiFunction<Integer, Integer, String> attemptDirectory)
            throws IOException {
        String user = Optional.ofNullable(System.getenv(Environment.USER.name()))
                .orElse(UserGroupInformation.getCurrentUser().getShortUserName());
        ContainerLogLinks links = new ContainerLogLinks(WebAppUtils.getHttpSchemePrefix(conf), user);
        String containerId = System.getenv(Environment.CONTAINER_ID.name());
        String host = System.getenv(Environment.NM_HOST.name());
        String port = System.getenv(Environment.NM_HTTP_PORT.name());
        if (containerId != null && host != null && port != null) {
            links.applicationMaster(containerId, host, port);
        }
        return new TrackingPageHandler(status, liveContainers, links, store, attemptDirectory, System::currentTimeMillis);
    }

    /** Starts sampling once a second. */
    TrackingPageHandler start() {
        sampler.scheduleWithFixedDelay(() -> {
            try {
                sample(status.get());
            } catch (RuntimeException e) {
                LOG.debug("Tracking page sample failed", e);
            }
        }, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    /** Takes one sample of rows read, containers and rejects. */
    void sample(JobStatus current) {
        containers.workers(liveContainers.get());
        rejects.update(current.blocks());
        if (!current.blocks().isEmpty()) {
            history.record(clock.getAsLong(), TrackingPage.counters(current).rowsRead());
        }
    }

    /** The page for a status, with what was sampled so far. */
    String render(JobStatus current) {
        sample(current);
        return TrackingPage.render(new TrackingPage.View(current, history.rates(), rejects.update(current.blocks()),
                containers.links(), containers::host, Instant.ofEpochMilli(clock.getAsLong())));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain; charset=utf-8", ("The tracking page takes GET, not " + exchange.getRequestMethod() + "\n").getBytes(UTF_8));
            } else if (!path.equals("/") && !path.equals("/index.html")) {
                send(exchange, 404, "text/plain; charset=utf-8", ("No such page: " + path + "\n").getBytes(UTF_8));
            } else {
                send(exchange, 200, "text/html; charset=utf-8", render(status.get()).getBytes(UTF_8));
            }
        }
    }

    /**
     * Writes the page of a committed job into its output directory, replacing an earlier job's
     * (append or overwrite). A failure to write it is logged: the job's result does not depend on it.
     *
     * @param committed the job's status with its manifest
     */
    void writeFinal(String output, JobStatus committed) {
        String location = output + "/" + FINAL_PAGE;
        try {
            Manifest manifest = committed.manifest();
            if (manifest != null) {
                rejects.committed(output, manifest.rejects());
            }
            byte[] page = render(committed).getBytes(UTF_8);
            if (store.exists(location)) {
                store.delete(location);
            }
            try (OutputStream out = store.create(location)) {
                out.write(page);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not write the job's last page to {}: {}", location, e.toString());
        }
    }

    private static void send(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
