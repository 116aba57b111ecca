package dev.spindle.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
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

    /** The ResourceManager's report of an application, as {@code yarn application -status} shows it. */
    org.apache.hadoop.yarn.api.records.ApplicationReport report(String applicationId) throws Exception {
        try (org.apache.hadoop.yarn.client.api.YarnClient yarn = org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient()) {
            yarn.init(cluster.configuration());
            yarn.start();
            return yarn.getApplicationReport(org.apache.hadoop.yarn.api.records.ApplicationId.fromString(applicationId));
        }
    }

    FileSystem fs() {
        return fs;
    }

    /** The cluster's client configuration (file system and ResourceManager). */
    org.apache.hadoop.conf.Configuration configuration() {
        return new org.apache.hadoop.conf.Configuration(cluster.configuration());
    }

    /** Writes a file into the cluster's HDFS. */
    void write(String path, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(new Path(path))) {
            out.write(bytes);
        }
    }

    /** Every record of a committed Avro output's parts, in manifest order. */
    List<GenericRecord> avroRecords(String output) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        for (JsonNode part : manifest(output).path("parts")) {
            try (InputStream in = fs.open(new Path(output, part.path("path").asText()));
                    DataFileStream<GenericRecord> file = new DataFileStream<>(in, new GenericDatumReader<>())) {
                file.forEach(records::add);
            }
        }
        return records;
    }

    /** Every line of a committed output's reject files, as JSON. */
    List<JsonNode> rejects(String output) throws IOException {
        List<JsonNode> rejects = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (JsonNode file : manifest(output).path("rejects")) {
            try (InputStream in = fs.open(new Path(output, file.path("path").asText()));
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    rejects.add(json.readTree(line));
                }
            }
        }
        return rejects;
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
