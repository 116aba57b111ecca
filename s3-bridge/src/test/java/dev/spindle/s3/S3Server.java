package dev.spindle.s3;

import java.net.URI;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (S3Proxy, in-memory backend, SigV4 checked) on 127.0.0.1 and a free
 * port: a JUnit 5 extension started once per test class ({@code @RegisterExtension static}), or
 * started by hand ({@link #start()}, {@link #close()}), or standalone for scripts:
 *
 * <pre>
 * java -cp ... dev.spindle.s3.S3Server [--port N] [--endpoint-file FILE] [--jceks FILE]
 *     [--bucket NAME]... [--put BUCKET/KEY=LOCAL_FILE]...
 * </pre>
 *
 * which starts the server on 127.0.0.1, creates the buckets, uploads the files, writes its
 * endpoint to the endpoint file and its keys into a JCEKS credential store (as
 * {@code fs.s3a.access.key} / {@code fs.s3a.secret.key}), then serves until killed.
 */
public final class S3Server implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final String ACCESS_KEY = "spindle-test-access";
    public static final String SECRET_KEY = "spindle-test-secret";

    private final String backend;
    private final Properties backendProperties;
    private int port;
    private BlobStore blobStore;
    private S3Proxy proxy;
    private URI endpoint;

    /** An in-memory server on a free port. */
    public S3Server() {
        this("transient", new Properties(), 0);
    }

    /** A server on a given port (0: any) with an S3Proxy backend ({@code transient}, {@code filesystem}) and its properties. */
    public S3Server(String backend, Properties backendProperties, int port) {
        this.backend = backend;
        this.backendProperties = backendProperties;
        this.port = port;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    public synchronized S3Server start() throws Exception {
        if (proxy != null) {
            return this;
        }
        Properties properties = new Properties();
        properties.putAll(backendProperties);
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        blobStore = BlobStores.create(backend, properties);
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .ignoreUnknownHeaders(true)
                .stopTimeout(0)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 30 s: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        port = proxy.getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        return this;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Configuration that points Spindle's S3 store at this server with its keys. */
    public Configuration configuration() {
        Configuration conf = new Configuration(false);
        configure(conf);
        return conf;
    }

    /** Sets the endpoint, path-style access and keys of this server in {@code conf}. */
    public void configure(Configuration conf) {
        conf.set(S3Config.ENDPOINT, endpoint.toString());
        conf.setBoolean(S3Config.PATH_STYLE, true);
        conf.set(S3Config.ACCESS_KEY, ACCESS_KEY);
        conf.set(S3Config.SECRET_KEY, SECRET_KEY);
    }

    /** A plain SDK client of this server, for tests to check what the store did independently. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Creates a bucket if it does not exist. */
    public void createBucket(String name) {
        try (S3Client client = client()) {
            if (client.listBuckets().buckets().stream().noneMatch(bucket -> bucket.name().equals(name))) {
                client.createBucket(b -> b.bucket(name));
            }
        }
    }

    /** Standalone server for scripts (see the class comment). */
    public static void main(String[] args) throws Exception {
        int port = 0;
        java.io.File endpointFile = null;
        java.io.File jceks = null;
        java.util.List<String> buckets = new java.util.ArrayList<>();
        java.util.List<String> puts = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value);
                case "--endpoint-file" -> endpointFile = new java.io.File(value);
                case "--jceks" -> jceks = new java.io.File(value).getAbsoluteFile();
                case "--bucket" -> buckets.add(value);
                case "--put" -> puts.add(value);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (--port N, --endpoint-file FILE, --jceks FILE, --bucket NAME, --put BUCKET/KEY=FILE)");
            }
            i++;
        }
        S3Server server = new S3Server("transient", new Properties(), port).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("S3Server: stopping failed: " + e);
            }
        }));
        buckets.forEach(server::createBucket);
        try (S3Client client = server.client()) {
            for (String put : puts) {
                int slash = put.indexOf('/');
                int equals = put.indexOf('=');
                if (slash < 0 || equals < slash) {
                    throw new IllegalArgumentException("--put wants BUCKET/KEY=LOCAL_FILE, got " + put);
                }
                java.nio.file.Path file = java.nio.file.Path.of(put.substring(equals + 1));
                client.putObject(b -> b.bucket(put.substring(0, slash)).key(put.substring(slash + 1, equals)),
                        software.amazon.awssdk.core.sync.RequestBody.fromFile(file));
            }
        }
        if (jceks != null) {
            java.nio.file.Files.deleteIfExists(jceks.toPath());
            Configuration conf = new Configuration(false);
            conf.set(org.apache.hadoop.security.alias.CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, "jceks://file" + jceks.getPath());
            var provider = org.apache.hadoop.security.alias.CredentialProviderFactory.getProviders(conf).get(0);
            provider.createCredentialEntry("fs.s3a.access.key", ACCESS_KEY.toCharArray());
            provider.createCredentialEntry("fs.s3a.secret.key", SECRET_KEY.toCharArray());
            provider.flush();
        }
        if (endpointFile != null) {
            java.nio.file.Files.writeString(endpointFile.toPath(), server.endpoint() + "\n");
        }
        System.out.println("S3Server: serving " + server.endpoint() + " (buckets " + buckets + ")");
        Thread.currentThread().join();
    }

    @Override
    public synchronized void close() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
        if (blobStore != null) {
            blobStore.close();
            blobStore = null;
        }
    }
}
