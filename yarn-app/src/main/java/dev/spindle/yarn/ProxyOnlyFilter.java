package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.webapp.util.WebAppUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets page requests in from the ResourceManager's web proxy only; any other client is
 * redirected to the page's address on the proxy. This is the rule of Hadoop's {@code AmIpFilter}
 * ({@code org.apache.hadoop.yarn.server.webproxy.amfilter}), which MapReduce and Spark install in
 * their AMs' servlet containers: the proxy hosts come from the configuration
 * ({@link WebAppUtils#getProxyHostsAndPortsForAmFilter}: {@code yarn.web-proxy.address}, else
 * every ResourceManager's web app address), a request is the proxy's when its remote address is
 * one of those hosts' addresses (resolved again every five minutes, as AmIpFilter does), and
 * anyone else gets a {@code 302} to {@code http://<proxy>/proxy/<application id>/...}. The AM's
 * HTTP server is the JDK's, not a servlet container, so the filter is written against its
 * {@link Filter} API; AmIpFilter itself is not on an AM's class path (the shaded Hadoop client
 * leaves the web proxy module out).
 *
 * <p>Like AmIpFilter it trusts the network: on a one-machine cluster the proxy is on
 * {@code localhost}, and so is every local client.
 */
final class ProxyOnlyFilter extends Filter {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyOnlyFilter.class);
    /** How long resolved proxy addresses are kept, as in AmIpFilter. */
    static final long RESOLVE_INTERVAL_MILLIS = 5 * 60_000;

    private final List<String> proxyHostsAndPorts;
    private final URI proxyBase;
    private final LongSupplier clock;
    private Set<String> proxyAddresses;
    private long resolvedAt;

    /**
     * @param proxyHostsAndPorts the web proxies, {@code host:port} each; the first is where other clients are sent
     * @param scheme {@code http://} or {@code https://}
     */
    ProxyOnlyFilter(List<String> proxyHostsAndPorts, String scheme, String applicationId, LongSupplier clock) {
        this.proxyHostsAndPorts = List.copyOf(proxyHostsAndPorts);
        if (this.proxyHostsAndPorts.isEmpty()) {
            throw new IllegalArgumentException("No web proxy address for application " + applicationId);
        }
        this.proxyBase = URI.create(requireNonNull(scheme, "scheme is null") + this.proxyHostsAndPorts.get(0) + "/proxy/"
                + requireNonNull(applicationId, "applicationId is null"));
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The filter for the proxies a cluster's configuration names. */
    static ProxyOnlyFilter fromConf(Configuration conf, String applicationId) {
        return new ProxyOnlyFilter(WebAppUtils.getProxyHostsAndPortsForAmFilter(conf), WebAppUtils.getHttpSchemePrefix(conf),
                applicationId, System::currentTimeMillis);
    }

    /** The application's address on the first proxy, e.g. {@code http://rm:8088/proxy/application_1_0001}. */
    URI proxyBase() {
        return proxyBase;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String remote = exchange.getRemoteAddress().getAddress().getHostAddress();
        if (proxyAddresses().contains(remote)) {
            chain.doFilter(exchange);
            return;
        }
        try (exchange) {
            String target = proxyBase + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            exchange.getResponseHeaders().set("Location", target);
            byte[] body = ("This page is served through the ResourceManager's web proxy: " + target + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(302, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private synchronized Set<String> proxyAddresses() {
        long now = clock.getAsLong();
        if (proxyAddresses == null || now - resolvedAt >= RESOLVE_INTERVAL_MILLIS) {
            Set<String> addresses = new HashSet<>();
            for (String hostAndPort : proxyHostsAndPorts) {
                String host = hostAndPort.contains(":") ? hostAndPort.substring(0, hostAndPort.lastIndexOf(':')) : hostAndPort;
                try {
                    for (InetAddress address : InetAddress.getAllByName(host)) {
                        addresses.add(address.getHostAddress());
                    }
                } catch (UnknownHostException e) {
                    LOG.warn("Cannot resolve web proxy host {}: {}", host, e.getMessage());
                }
            }
            proxyAddresses = Set.copyOf(addresses);
            resolvedAt = now;
        }
        return proxyAddresses;
    }

    @Override
    public String description() {
        return "requests from the ResourceManager's web proxy only (AmIpFilter's rule)";
    }
}
