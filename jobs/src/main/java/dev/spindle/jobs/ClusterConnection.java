package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.FileStores;
import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The cluster a command runs on: a configured one ({@code --cluster DIR}, {@code HADOOP_CONF_DIR},
 * or site files on the class path as under {@code yarn jar}), or else an embedded HDFS + YARN
 * started for this command and stopped after it.
 */
final class ClusterConnection implements AutoCloseable {

    /** Set by {@link #configure} when no cluster is configured. */
    static final String EMBEDDED_KEY = "spindle.cluster.embedded";
    private static final String[] SITE_FILES = {"core-site.xml", "hdfs-site.xml", "yarn-site.xml", "mapred-site.xml"};

    private final Configuration conf;
    private final Optional<EmbeddedCluster> embedded;
    private final Optional<File> embeddedDir;

    private ClusterConnection(Configuration conf, Optional<EmbeddedCluster> embedded, Optional<File> embeddedDir) {
        this.conf = requireNonNull(conf, "conf is null");
        this.embedded = embedded;
        this.embeddedDir = embeddedDir;
    }

    /**
     * The base configuration for a command line: the site files of {@code --cluster DIR} or
     * {@code HADOOP_CONF_DIR}, else whatever the class path holds. Whether it names a cluster is
     * decided by {@link #markEmbedded} once the generic options ({@code -conf}, {@code -D},
     * {@code -fs}, {@code -jt}) are in.
     */
    static Configuration configure(Optional<String> clusterDir, Map<String, String> environment) {
        Configuration conf = new Configuration();
        Optional<String> dir = clusterDir.or(() -> Optional.ofNullable(environment.get("HADOOP_CONF_DIR")).filter(s -> !s.isBlank()));
        if (dir.isPresent()) {
            File confDir = new File(dir.get());
            if (!new File(confDir, "core-site.xml").isFile()) {
                throw new UsageException("No core-site.xml in cluster conf dir: " + confDir.getAbsolutePath());
            }
            for (String name : SITE_FILES) {
                File site = new File(confDir, name);
                if (site.isFile()) {
                    conf.addResource(new Path(site.getAbsolutePath()));
                }
            }
        }
        return conf;
    }

    /**
     * Marks {@code conf} embedded when nothing in it names a cluster: its default file system is
     * local and no ResourceManager address is set. A {@code -conf yarn-site.xml} or
     * {@code -D fs.defaultFS=hdfs://...} of a real cluster therefore sends the job there (or fails
     * to reach it), never to a throwaway embedded cluster.
     */
    static void markEmbedded(Configuration conf) {
        boolean localFs = "file".equals(FileSystem.getDefaultUri(conf).getScheme());
        boolean rmSet = configured(conf, "yarn.resourcemanager.address") || configured(conf, "yarn.resourcemanager.hostname")
                || configured(conf, "yarn.resourcemanager.ha.rm-ids");
        conf.setBoolean(EMBEDDED_KEY, localFs && !rmSet);
    }

    /** Whether {@code key} is set by something other than Hadoop's own {@code *-default.xml}. */
    private static boolean configured(Configuration conf, String key) {
        if (conf.get(key) == null) {
            return false;
        }
        String[] sources = conf.getPropertySources(key);
        return sources == null || sources.length == 0 || !sources[sources.length - 1].endsWith("-default.xml");
    }

    /** Connects to the configured cluster, or starts an embedded one when none is configured. */
    static ClusterConnection connect(Configuration conf, PrintStream log) throws IOException {
        if (!conf.getBoolean(EMBEDDED_KEY, false)) {
            return new ClusterConnection(conf, Optional.empty(), Optional.empty());
        }
        File dir = Files.createTempDirectory("spindle-embedded-").toFile();
        log.println("No cluster configured (no --cluster, no HADOOP_CONF_DIR): starting an embedded HDFS + YARN in " + dir);
        long started = System.nanoTime();
        EmbeddedCluster cluster = EmbeddedCluster.onOneMachine(dir).build();
        log.printf("Embedded cluster up in %.1f s: %s%n", (System.nanoTime() - started) / 1e9, cluster.fileSystemUri());
        Configuration merged = cluster.configuration();
        for (Map.Entry<String, String> entry : conf) {
            String[] sources = conf.getPropertySources(entry.getKey());
            if (sources != null && sources.length > 0 && sources[sources.length - 1].contains("command line")) {
                merged.set(entry.getKey(), entry.getValue());
            }
        }
        merged.setBoolean(EMBEDDED_KEY, true);
        return new ClusterConnection(merged, Optional.of(cluster), Optional.of(dir));
    }

    Configuration conf() {
        return conf;
    }

    boolean embedded() {
        return embedded.isPresent();
    }

    /**
     * A fully qualified location. A path with a scheme is kept; a plain path means a local file
     * on the embedded cluster (its containers run on this machine) and a path in the default
     * file system on a configured cluster, as Hadoop's tools read it.
     */
    String qualify(String path) {
        return qualify(conf, path);
    }

    /** {@link #qualify(String)} for a configuration, without connecting to anything. */
    static String qualify(Configuration conf, String path) {
        URI uri = new Path(path).toUri();
        try {
            if (uri.getScheme() != null && !FileStores.isHadoopLocation(path)) {
                return path;
            }
            if (uri.getScheme() != null) {
                return new Path(path).getFileSystem(conf).makeQualified(new Path(path)).toString();
            }
            if (conf.getBoolean(EMBEDDED_KEY, false)) {
                return new Path(new File(path).getAbsoluteFile().toURI()).toString();
            }
            return FileSystem.get(conf).makeQualified(new Path(path)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resolve the file system of " + path, e);
        }
    }

    @Override
    public void close() {
        embedded.ifPresent(EmbeddedCluster::close);
        embeddedDir.ifPresent(ClusterConnection::deleteQuietly);
    }

    private static void deleteQuietly(File dir) {
        try (Stream<java.nio.file.Path> paths = Files.walk(dir.toPath())) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir of the embedded cluster holds no output.
        }
    }
}
