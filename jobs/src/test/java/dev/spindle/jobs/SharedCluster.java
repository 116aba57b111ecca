package dev.spindle.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded HDFS + YARN for all integration tests of a test JVM: started by the first test
 * class that asks, stopped when JUnit closes its root store (the end of the run).
 */
final class SharedCluster implements ExtensionContext.Store.CloseableResource {

    private final EmbeddedCluster cluster;
    private final String confDir;
    private final FileSystem fs;

    private SharedCluster() throws IOException {
        File base = new File("target/shared-cluster-it");
        cluster = EmbeddedCluster.builder(base).hdfsBlockSize(1 << 20).build();
        File conf = new File(base, "conf");
        cluster.writeConfDir(conf);
        confDir = conf.getAbsolutePath();
        fs = FileSystem.get(cluster.configuration());
    }

    /** The cluster, started on first use in this JVM. */
    static SharedCluster get(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedCluster.class, key -> {
                    try {
                        return new SharedCluster();
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot start the embedded cluster", e);
                    }
                }, SharedCluster.class);
    }

    /** The Hadoop conf dir for {@code --cluster}. */
    String confDir() {
        return confDir;
    }

    FileSystem fs() {
        return fs;
    }

    /** The {@code _SUCCESS} manifest of a committed output, as JSON. */
    JsonNode manifest(String output) throws IOException {
        try (InputStream in = fs.open(new Path(output, "_SUCCESS"))) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Override
    public void close() {
        cluster.close();
    }

    /** Resolves a {@link SharedCluster} parameter: {@code @ExtendWith(SharedCluster.Resolver.class)}. */
    static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedCluster.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return get(context);
        }
    }
}
