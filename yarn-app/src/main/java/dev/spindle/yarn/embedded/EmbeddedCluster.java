package dev.spindle.yarn.embedded;

import static java.util.Objects.requireNonNull;

import dev.spindle.yarn.YarnAppConfig;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmnode.RMNode;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceManager;
import org.apache.hadoop.yarn.webapp.util.WebAppUtils;

/**
 * HDFS and YARN in this JVM (MiniDFSCluster + MiniYARNCluster), the default cluster when none
 * is configured. Jobs run on it exactly as on a real cluster: through the ResourceManager, in
 * separate container JVMs, reading and writing HDFS.
 *
 * <p>Its NodeManagers run on this machine and have no Hadoop installation, so containers get
 * Hadoop's classes from this JVM's class path ({@link YarnAppConfig#CONTAINER_CLASSPATH}); the
 * Spindle job jar is still shipped through HDFS like on any cluster.
 */
public final class EmbeddedCluster implements AutoCloseable {

    private final MiniDFSCluster dfs;
    private final MiniYARNCluster yarn;
    private final Configuration clientConf;

    private EmbeddedCluster(Builder builder) throws IOException {
        File baseDir = builder.baseDir;
        Files.createDirectories(baseDir.toPath());
        Configuration conf = new YarnConfiguration();
        conf.set("hadoop.tmp.dir", new File(baseDir, "tmp").getAbsolutePath());
        conf.setLong("dfs.blocksize", builder.hdfsBlockSize);
        conf.setInt("dfs.replication", Math.min(2, builder.dataNodes));
        conf.setInt("dfs.namenode.fs-limits.min-block-size", 1024);
        conf.setInt("dfs.bytes-per-checksum", 512);
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        // A client's close asks the NameNode to complete the file, and until the DataNodes have
        // reported its last block it retries after this delay, doubled each time (Hadoop's default
        // 400 ms): on one host they report within milliseconds, yet a commit's closes waited
        // 0.4 or 0.8 s about half the time. Written into the cluster's conf for every client.
        conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 50);
        // the caller's settings (a Kerberized cluster's principals and keytabs) over the defaults above
        for (Map.Entry<String, String> entry : builder.extraConf) {
            conf.set(entry.getKey(), entry.getValue());
        }
        MiniDFSCluster.Builder dfsBuilder = new MiniDFSCluster.Builder(conf, new File(baseDir, "hdfs"))
                .numDataNodes(builder.dataNodes)
                .hosts(repeat("localhost", builder.dataNodes));
        if (builder.nameNodePort > 0) {
            dfsBuilder.nameNodePort(builder.nameNodePort);
        }
        this.dfs = dfsBuilder.build();
        dfs.waitActive();
        conf.set("fs.defaultFS", dfs.getFileSystem().getUri().toString());

        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        conf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
        conf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 128);
        conf.setInt("yarn.scheduler.maximum-allocation-mb", builder.nodeMemoryMb);
        conf.setInt("yarn.nodemanager.resource.memory-mb", builder.nodeMemoryMb);
        // MiniYARNCluster sets each NodeManager's memory from this key (default 4096), over the one above
        conf.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", builder.nodeMemoryMb);
        conf.setInt("yarn.nodemanager.resource.cpu-vcores", builder.nodeVcores);
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        conf.setInt("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms", 200);
        conf.setFloat("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", 99.5f);
        conf.setBoolean("yarn.timeline-service.enabled", false);
        conf.setBoolean("yarn.log-aggregation-enable", true);
        conf.set("yarn.nodemanager.remote-app-log-dir", "/tmp/logs");
        conf.setInt("yarn.resourcemanager.am.max-attempts", 2);
        // A killed AM gets SIGTERM, then SIGKILL after this delay: time for its abort to remove staging.
        conf.setLong("yarn.nodemanager.sleep-delay-before-sigkill.ms", 5000);
        conf.set(YarnAppConfig.JAVA_HOME, System.getProperty("java.home"));
        conf.set(YarnAppConfig.CONTAINER_CLASSPATH, builder.containerClasspath);
        for (Map.Entry<String, String> entry : builder.extraConf) {
            conf.set(entry.getKey(), entry.getValue());
        }
        conf.set("test.build.data", new File(baseDir, "yarn").getAbsolutePath());
        System.setProperty("test.build.data", new File(baseDir, "yarn").getAbsolutePath());
        this.yarn = new LiveProxyMiniYarnCluster(builder.nodeManagers, builder.nodeManagerHosts);
        yarn.init(conf);
        yarn.start();
        this.clientConf = new YarnConfiguration(yarn.getConfig());
        clientConf.set("fs.defaultFS", conf.get("fs.defaultFS"));
        // the port the ResourceManager's web app (and its web proxy) really listens on
        clientConf.set(YarnConfiguration.RM_WEBAPP_ADDRESS, yarn.getResourceManager().getConfig().get(YarnConfiguration.RM_WEBAPP_ADDRESS));
        waitForNodeManagers(builder.nodeManagers);
        if (!builder.nodeManagerHosts.isEmpty() && !new TreeSet<>(nodeHosts()).equals(new TreeSet<>(builder.nodeManagerHosts))) {
            close();
            throw new IOException("The NodeManagers were to register as %s but registered as %s (does a host name resolve to one of those addresses?)"
                    .formatted(builder.nodeManagerHosts, nodeHosts()));
        }
    }

    public static Builder builder(File baseDir) {
        return new Builder(baseDir);
    }

    /**
     * The cluster a command starts on one machine ({@code spindle cluster start}, or a job with no
     * cluster configured): one NodeManager with the memory and vcores of the default two, as
     * Hadoop's pseudo-distributed mode has one. On one machine a second NodeManager is a second
     * copy of the same node: it localized the job jar again and kept class-data archives of its
     * own, so the first jobs after a start paid each of those twice.
     */
    public static Builder onOneMachine(File baseDir) {
        return new Builder(baseDir).nodeManagers(1).nodeMemoryMb(2 * 4096).nodeVcores(2 * 4);
    }

    /** A client configuration pointing at this cluster (default FS, RM addresses, Spindle keys). */
    public Configuration configuration() {
        return new Configuration(clientConf);
    }

    /**
     * The host names the NodeManagers registered under at the ResourceManager, sorted: the hosts
     * that {@code NM_HOST}, container reports and an AM's blacklist name. All {@code localhost}
     * unless the builder gave them {@linkplain Builder#nodeManagerHosts distinct hosts}.
     */
    public List<String> nodeHosts() {
        List<String> hosts = new ArrayList<>();
        for (RMNode node : yarn.getResourceManager().getRMContext().getRMNodes().values()) {
            hosts.add(node.getNodeID().getHost());
        }
        hosts.sort(null);
        return hosts;
    }

    /** The HDFS URI, e.g. {@code hdfs://localhost:41221}. */
    public String fileSystemUri() {
        return clientConf.get("fs.defaultFS");
    }

    /**
     * Writes core-site.xml, hdfs-site.xml and yarn-site.xml into {@code dir}, so other JVMs and
     * tools use this cluster like a real one ({@code HADOOP_CONF_DIR=dir}).
     */
    public void writeConfDir(File dir) throws IOException {
        Files.createDirectories(dir.toPath());
        Configuration all = configuration();
        writeSite(new File(dir, "core-site.xml"), all, List.of("fs.", "hadoop.", "io.", "ipc."));
        writeSite(new File(dir, "hdfs-site.xml"), all, List.of("dfs."));
        writeSite(new File(dir, "yarn-site.xml"), all, List.of("yarn.", "spindle."));
    }

    private static void writeSite(File file, Configuration all, List<String> prefixes) throws IOException {
        Configuration site = new Configuration(false);
        for (Map.Entry<String, String> entry : all) {
            for (String prefix : prefixes) {
                if (entry.getKey().startsWith(prefix)) {
                    site.set(entry.getKey(), all.get(entry.getKey()));
                    break;
                }
            }
        }
        try (OutputStream out = new FileOutputStream(file)) {
            site.writeXml(out);
        }
    }

    private void waitForNodeManagers(int count) throws IOException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (yarn.getResourceManager().getRMContext().getRMNodes().size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("Only %d of %d NodeManagers registered within 60 s"
                        .formatted(yarn.getResourceManager().getRMContext().getRMNodes().size(), count));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for NodeManagers", e);
            }
        }
    }

    @Override
    public void close() {
        try {
            yarn.stop();
        } finally {
            dfs.shutdown();
        }
    }

    /**
     * A MiniYARNCluster whose ResourceManager web app listens on a port chosen before it starts.
     * MiniYARNCluster sets the web app address to port 0, and the ResourceManager computes its
     * web proxy's address ({@code RMContextImpl.getProxyHostAndPort}, cached on first use) while
     * starting the web app, before port 0 became a real port: every application's tracking URL
     * was then {@code http://localhost:0/proxy/...}. With a real port in the address from the
     * start, the tracking URL, the proxy and the AM's proxy check all agree.
     */
    private static final class LiveProxyMiniYarnCluster extends MiniYARNCluster {

        private final List<String> nodeManagerHosts;

        LiveProxyMiniYarnCluster(int nodeManagers, List<String> nodeManagerHosts) {
            super("spindle", nodeManagers, 1, 1);
            this.nodeManagerHosts = List.copyOf(nodeManagerHosts);
        }

        /**
         * Gives NodeManager i the RPC address {@code nodeManagerHosts[i]:0} before it starts.
         * MiniYARNCluster's NodeManagerWrapper sets every NodeManager's {@code yarn.nodemanager.address}
         * to {@code localhost:0} in the NodeManager's own configuration while initializing it; the
         * NodeManager reads the address only when its ContainerManagerImpl starts, binds its RPC
         * server there and names its NodeId after that address's host name (an address without a
         * name: the address itself). So NodeManager i registers as a host of its own, and its
         * containers get it as {@code NM_HOST}; its web and localizer servers stay on localhost.
         */
        @Override
        protected synchronized void serviceStart() throws Exception {
            for (int i = 0; i < nodeManagerHosts.size(); i++) {
                getNodeManager(i).getConfig().set(YarnConfiguration.NM_ADDRESS, nodeManagerHosts.get(i) + ":0");
            }
            super.serviceStart();
        }

        @Override
        protected ResourceManager createResourceManager() {
            return new ResourceManager() {
                @Override
                protected void serviceInit(Configuration conf) throws Exception {
                    InetSocketAddress web = conf.getSocketAddr(YarnConfiguration.RM_WEBAPP_ADDRESS,
                            YarnConfiguration.DEFAULT_RM_WEBAPP_ADDRESS, YarnConfiguration.DEFAULT_RM_WEBAPP_PORT);
                    if (web.getPort() == 0) {
                        WebAppUtils.setRMWebAppHostnameAndPort(conf, web.getHostString(), freePort());
                    }
                    super.serviceInit(conf);
                }

                @Override
                protected void doSecureLogin() {
                    // as MiniYARNCluster's own ResourceManager: no Kerberos login in an embedded cluster
                }
            };
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }

    private static String[] repeat(String value, int count) {
        String[] values = new String[count];
        java.util.Arrays.fill(values, value);
        return values;
    }

    /**
     * The entries of this JVM's class path that containers need from the host: Hadoop and the
     * libraries the shaded Hadoop client leaves out (logging, Bouncy Castle). Spindle's own
     * classes are not among them: they come from the shipped job jar.
     */
    public static String hadoopClasspath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (name.startsWith("hadoop-") || name.startsWith("slf4j-") || name.startsWith("reload4j")
                    || name.startsWith("bcprov") || name.startsWith("bcpkix") || name.startsWith("log4j")) {
                entries.add(new File(entry).getAbsolutePath());
            }
        }
        return String.join(":", entries);
    }

    /** Builds an {@link EmbeddedCluster}; defaults: 2 DataNodes, 2 NodeManagers of 4 GiB, 128 MiB blocks. */
    public static final class Builder {
        private final File baseDir;
        private int dataNodes = 2;
        private int nodeManagers = 2;
        private int nodeMemoryMb = 4096;
        private int nodeVcores = 4;
        private long hdfsBlockSize = 128L << 20;
        private int nameNodePort;
        private List<String> nodeManagerHosts = List.of();
        private String containerClasspath = hadoopClasspath();
        private final Configuration extraConf = new Configuration(false);

        private Builder(File baseDir) {
            this.baseDir = requireNonNull(baseDir, "baseDir is null").getAbsoluteFile();
        }

        public Builder dataNodes(int value) {
            this.dataNodes = value;
            return this;
        }

        public Builder nodeManagers(int value) {
            this.nodeManagers = value;
            return this;
        }

        /**
         * One NodeManager per address, each binding its RPC server to its address and registering
         * under it as a host of its own (default: every NodeManager on {@code localhost}, one
         * host). The addresses must be distinct loopback addresses other than {@code 127.0.0.1}
         * (which registers as {@code localhost}), e.g. {@code 127.0.0.2}, {@code 127.0.0.3}: Linux
         * routes all of 127.0.0.0/8 to the loopback interface. Sets {@link #nodeManagers} to
         * their number. For tests of what a job does per node, such as excluding a failing one.
         */
        public Builder nodeManagerHosts(String... addresses) {
            List<String> hosts = List.of(addresses);
            if (hosts.isEmpty() || new TreeSet<>(hosts).size() != hosts.size()) {
                throw new IllegalArgumentException("NodeManager hosts must be distinct, and at least one: " + hosts);
            }
            for (String host : hosts) {
                if (!host.matches("127(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}") || host.equals("127.0.0.1")) {
                    throw new IllegalArgumentException("A NodeManager host must be a loopback address other than 127.0.0.1: " + host);
                }
            }
            this.nodeManagerHosts = hosts;
            this.nodeManagers = hosts.size();
            return this;
        }

        public Builder nodeMemoryMb(int value) {
            this.nodeMemoryMb = value;
            return this;
        }

        public Builder nodeVcores(int value) {
            this.nodeVcores = value;
            return this;
        }

        public Builder hdfsBlockSize(long bytes) {
            this.hdfsBlockSize = bytes;
            return this;
        }

        public Builder nameNodePort(int port) {
            this.nameNodePort = port;
            return this;
        }

        /** Host class path entries for containers, ':'-separated; default {@link #hadoopClasspath()}. */
        public Builder containerClasspath(String value) {
            this.containerClasspath = requireNonNull(value, "containerClasspath is null");
            return this;
        }

        /**
         * Settings applied over the cluster's own (HDFS and YARN alike), for example the
         * principals, keytabs and {@code hadoop.security.authentication=kerberos} of a secure
         * cluster. Hadoop's login is the caller's: for a secure cluster, set
         * {@code UserGroupInformation}'s configuration and log in from a keytab before {@link #build}.
         */
        public Builder configuration(Configuration extra) {
            for (Map.Entry<String, String> entry : requireNonNull(extra, "extra is null")) {
                extraConf.set(entry.getKey(), extra.get(entry.getKey()));
            }
            return this;
        }

        public EmbeddedCluster build() throws IOException {
            if (dataNodes < 1 || nodeManagers < 1) {
                throw new IllegalArgumentException("An embedded cluster needs at least one DataNode and one NodeManager");
            }
            if (!nodeManagerHosts.isEmpty() && nodeManagerHosts.size() != nodeManagers) {
                throw new IllegalArgumentException("%d NodeManagers but %d NodeManager hosts %s"
                        .formatted(nodeManagers, nodeManagerHosts.size(), nodeManagerHosts));
            }
            return new EmbeddedCluster(this);
        }
    }
}
