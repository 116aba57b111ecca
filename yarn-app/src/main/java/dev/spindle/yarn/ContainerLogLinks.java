package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.webapp.util.WebAppUtils;

/**
 * Every container the job ran in, with the address of its logs on its NodeManager's web app
 * ({@code http://<nm>/node/containerlogs/<container>/<user>}, which sends on to the aggregated
 * logs once the container is gone and log aggregation is on).
 */
final class ContainerLogLinks {

    /** One container: {@code role} is {@code ApplicationMaster} or {@code worker}. */
    record Link(String containerId, String role, String host, String logUrl) {}

    private final String scheme;
    private final String user;
    private final Map<String, Link> links = new LinkedHashMap<>();

    /**
     * @param scheme {@code http://} or {@code https://}, as {@link WebAppUtils#getHttpSchemePrefix} says
     * @param user the user the containers run as
     */
    ContainerLogLinks(String scheme, String user) {
        this.scheme = requireNonNull(scheme, "scheme is null");
        this.user = requireNonNull(user, "user is null");
    }

    /** Adds the ApplicationMaster's own container, from its NodeManager's host and web port. */
    synchronized void applicationMaster(String containerId, String host, String nodeHttpPort) {
        links.putIfAbsent(containerId, new Link(containerId, "ApplicationMaster", host,
                WebAppUtils.getRunningLogURL(scheme + host + ":" + nodeHttpPort, containerId, user)));
    }

    /** Adds worker containers not seen before. */
    synchronized void workers(List<Container> containers) {
        for (Container container : containers) {
            String id = container.getId().toString();
            links.computeIfAbsent(id, key -> new Link(key, "worker", container.getNodeId().getHost(),
                    WebAppUtils.getRunningLogURL(scheme + container.getNodeHttpAddress(), key, user)));
        }
    }

    /** The host of a container seen so far, or null. */
    synchronized String host(String containerId) {
        Link link = links.get(containerId);
        return link == null ? null : link.host();
    }

    synchronized List<Link> links() {
        return new ArrayList<>(links.values());
    }
}
