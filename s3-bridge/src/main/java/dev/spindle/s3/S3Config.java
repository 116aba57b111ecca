package dev.spindle.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * The typed configuration of the S3 store for one bucket, read once from a Hadoop
 * {@link Configuration}. Every {@code spindle.s3.*} key is here with its default and unit.
 *
 * <p>A cluster that already reads S3 through S3A is honoured, so nothing is configured twice:
 * for each setting the first of these that is set wins:
 * <ol>
 *   <li>{@code spindle.s3.<setting>}
 *   <li>{@code fs.s3a.bucket.<bucket>.<s3a setting>} (S3A's per-bucket override)
 *   <li>{@code fs.s3a.<s3a setting>}
 *   <li>the default here
 * </ol>
 * Keys and secrets are read with {@link Configuration#getPassword}, so they may live in a Hadoop
 * credential provider ({@code hadoop.security.credential.provider.path}, e.g. a JCEKS file)
 * instead of clear text. Without keys, a named profile ({@value #PROFILE}) is used, else the AWS
 * SDK's default provider chain (environment, system properties, {@code ~/.aws}, container and
 * instance roles). {@link #toString()} never shows a key.
 */
public final class S3Config {

    /** Endpoint override ({@code http://127.0.0.1:9000}); S3A: {@code fs.s3a.endpoint}. Default: AWS. */
    public static final String ENDPOINT = "spindle.s3.endpoint";
    /** Signing region; S3A: {@code fs.s3a.endpoint.region}. Default {@value #REGION_DEFAULT}. */
    public static final String REGION = "spindle.s3.region";
    public static final String REGION_DEFAULT = "us-east-1";
    /** Path-style requests ({@code http://host/bucket/key}); S3A: {@code fs.s3a.path.style.access}. */
    public static final String PATH_STYLE = "spindle.s3.path-style";
    public static final boolean PATH_STYLE_DEFAULT = false;
    /** Bytes per planned block of an object (objects have no storage blocks). Default 128 MiB. */
    public static final String BLOCK_SIZE = "spindle.s3.block-size";
    public static final long BLOCK_SIZE_DEFAULT = 128L << 20;
    /**
     * Bytes per ranged GET of a read, and per read-ahead buffer. Default 16 MiB: half the GETs of
     * 8 MiB parts (each costs a request's latency, CPU and S3's per-request price) for
     * concurrency x 16 MiB held per open input.
     */
    public static final String READ_PART_SIZE = "spindle.s3.read.part-size";
    public static final long READ_PART_SIZE_DEFAULT = 16L << 20;
    /**
     * Ranged GETs one open object keeps in flight when read sequentially; an input never buffers
     * more than concurrency x part size bytes. Default {@value #READ_CONCURRENCY_DEFAULT}.
     */
    public static final String READ_CONCURRENCY = "spindle.s3.read.concurrency";
    public static final int READ_CONCURRENCY_DEFAULT = 4;
    /** Bytes per part of a multipart upload; at least 5 MiB (S3's minimum). Default 16 MiB. */
    public static final String WRITE_PART_SIZE = "spindle.s3.write.part-size";
    public static final long WRITE_PART_SIZE_DEFAULT = 16L << 20;
    static final long WRITE_PART_SIZE_MIN = 5L << 20;
    /** HTTP connections per bucket; S3A: {@code fs.s3a.connection.maximum}. Default 64. */
    public static final String MAX_CONNECTIONS = "spindle.s3.max-connections";
    public static final int MAX_CONNECTIONS_DEFAULT = 64;
    /** Time to open a connection (Hadoop time units: {@code 10s}); S3A: {@code fs.s3a.connection.establish.timeout}. */
    public static final String CONNECT_TIMEOUT = "spindle.s3.connect-timeout";
    public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    /** Longest wait for bytes on an open connection; S3A: {@code fs.s3a.connection.timeout}. Default 60 s. */
    public static final String SOCKET_TIMEOUT = "spindle.s3.socket-timeout";
    public static final Duration SOCKET_TIMEOUT_DEFAULT = Duration.ofSeconds(60);
    /**
     * Attempts of one request (a ranged GET resumes from the byte reached) on throttling, 5xx
     * and connection errors, including the first. Default {@value #RETRY_ATTEMPTS_DEFAULT}.
     */
    public static final String RETRY_ATTEMPTS = "spindle.s3.retry.attempts";
    public static final int RETRY_ATTEMPTS_DEFAULT = 8;
    /** First backoff; doubles per retry, with full jitter, up to {@link #RETRY_MAX_DELAY}. Default 100 ms. */
    public static final String RETRY_BASE_DELAY = "spindle.s3.retry.base-delay";
    public static final Duration RETRY_BASE_DELAY_DEFAULT = Duration.ofMillis(100);
    public static final String RETRY_MAX_DELAY = "spindle.s3.retry.max-delay";
    public static final Duration RETRY_MAX_DELAY_DEFAULT = Duration.ofSeconds(10);
    /**
     * Whether part files of task attempts are multipart uploads to their final keys, completed
     * only at job commit (the S3A "magic" committer model); false: written in staging and copied
     * at commit. Default true.
     */
    public static final String MAGIC_COMMIT = "spindle.s3.commit.magic";
    public static final boolean MAGIC_COMMIT_DEFAULT = true;
    /**
     * Whether a file the store creates is written with {@code If-None-Match: *} (S3's conditional
     * write, on the PUT or the multipart upload's completion), so that of two writers creating one
     * key only one succeeds, the other failing with {@code FileAlreadyExistsException}; this makes
     * the commit lock exclusive. Default true; false for a server that rejects the header (it is
     * then checked with a HEAD before the write, which two writers can pass at once).
     */
    public static final String CONDITIONAL_CREATE = "spindle.s3.conditional-create";
    public static final boolean CONDITIONAL_CREATE_DEFAULT = true;
    /** Named profile of {@code ~/.aws/credentials} and {@code ~/.aws/config}, used when no keys are set. */
    public static final String PROFILE = "spindle.s3.profile";
    /** Access key id (read with {@link Configuration#getPassword}); S3A: {@code fs.s3a.access.key}. */
    public static final String ACCESS_KEY = "spindle.s3.access-key";
    /** Secret key (read with {@link Configuration#getPassword}); S3A: {@code fs.s3a.secret.key}. */
    public static final String SECRET_KEY = "spindle.s3.secret-key";
    /** Session token of temporary keys (read with {@link Configuration#getPassword}); S3A: {@code fs.s3a.session.token}. */
    public static final String SESSION_TOKEN = "spindle.s3.session-token";

    /** Keys given in configuration; never printed. */
    record Keys(String accessKey, String secretKey, Optional<String> sessionToken) {
        @Override
        public String toString() {
            return "Keys[hidden]";
        }
    }

    private final String bucket;
    private final Optional<URI> endpoint;
    private final String region;
    private final boolean pathStyle;
    private final long blockSize;
    private final long readPartSize;
    private final int readConcurrency;
    private final long writePartSize;
    private final int maxConnections;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final int retryAttempts;
    private final Duration retryBaseDelay;
    private final Duration retryMaxDelay;
    private final Optional<String> profile;
    private final Optional<Keys> keys;
    private final boolean magicCommit;
    private final boolean conditionalCreate;

    private S3Config(Configuration conf, String bucket) {
        this.bucket = requireNonNull(bucket, "bucket is null");
        Lookup lookup = new Lookup(conf, bucket);
        this.endpoint = lookup.get(ENDPOINT, "endpoint").map(S3Config::endpointUri);
        this.region = lookup.get(REGION, "endpoint.region").orElse(REGION_DEFAULT);
        this.pathStyle = lookup.get(PATH_STYLE, "path.style.access").map(S3Config::parseBoolean).orElse(PATH_STYLE_DEFAULT);
        this.blockSize = positiveBytes(conf, BLOCK_SIZE, BLOCK_SIZE_DEFAULT);
        this.readPartSize = positiveBytes(conf, READ_PART_SIZE, READ_PART_SIZE_DEFAULT);
        if (readPartSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("%s must be below 2 GiB, got %s bytes".formatted(READ_PART_SIZE, readPartSize));
        }
        this.readConcurrency = positiveInt(conf, READ_CONCURRENCY, READ_CONCURRENCY_DEFAULT);
        this.writePartSize = positiveBytes(conf, WRITE_PART_SIZE, WRITE_PART_SIZE_DEFAULT);
        if (writePartSize < WRITE_PART_SIZE_MIN || writePartSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("%s must be between 5 MiB and 2 GiB, got %s bytes"
                    .formatted(WRITE_PART_SIZE, writePartSize));
        }
        this.maxConnections = lookup.get(MAX_CONNECTIONS, "connection.maximum").map(value -> parsePositiveInt(MAX_CONNECTIONS, value))
                .orElse(MAX_CONNECTIONS_DEFAULT);
        this.connectTimeout = lookup.duration(CONNECT_TIMEOUT, "connection.establish.timeout", CONNECT_TIMEOUT_DEFAULT);
        this.socketTimeout = lookup.duration(SOCKET_TIMEOUT, "connection.timeout", SOCKET_TIMEOUT_DEFAULT);
        this.retryAttempts = positiveInt(conf, RETRY_ATTEMPTS, RETRY_ATTEMPTS_DEFAULT);
        this.retryBaseDelay = duration(conf, RETRY_BASE_DELAY, RETRY_BASE_DELAY_DEFAULT);
        this.retryMaxDelay = duration(conf, RETRY_MAX_DELAY, RETRY_MAX_DELAY_DEFAULT);
        this.magicCommit = conf.getBoolean(MAGIC_COMMIT, MAGIC_COMMIT_DEFAULT);
        this.conditionalCreate = conf.getBoolean(CONDITIONAL_CREATE, CONDITIONAL_CREATE_DEFAULT);
        this.profile = Optional.ofNullable(conf.getTrimmed(PROFILE)).filter(p -> !p.isEmpty());
        Optional<String> accessKey = lookup.password(ACCESS_KEY, "access.key");
        Optional<String> secretKey = lookup.password(SECRET_KEY, "secret.key");
        Optional<String> sessionToken = lookup.password(SESSION_TOKEN, "session.token");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("An S3 access key needs its secret key and a secret key its access key "
                    + "(%s / %s, or fs.s3a.access.key / fs.s3a.secret.key); only one is set for bucket %s"
                    .formatted(ACCESS_KEY, SECRET_KEY, bucket));
        }
        this.keys = accessKey.map(access -> new Keys(access, secretKey.orElseThrow(), sessionToken));
    }

    /** The settings for one bucket. */
    public static S3Config from(Configuration conf, String bucket) {
        return new S3Config(requireNonNull(conf, "conf is null"), bucket);
    }

    public String bucket() {
        return bucket;
    }

    public Optional<URI> endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    public boolean pathStyle() {
        return pathStyle;
    }

    /** Bytes per planned block. */
    public long blockSize() {
        return blockSize;
    }

    /** Bytes per ranged GET. */
    public int readPartSize() {
        return (int) readPartSize;
    }

    public int readConcurrency() {
        return readConcurrency;
    }

    /** Bytes per uploaded part. */
    public int writePartSize() {
        return (int) writePartSize;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration socketTimeout() {
        return socketTimeout;
    }

    public int retryAttempts() {
        return retryAttempts;
    }

    public Duration retryBaseDelay() {
        return retryBaseDelay;
    }

    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    public Optional<String> profile() {
        return profile;
    }

    /** See {@link #MAGIC_COMMIT}. */
    public boolean magicCommit() {
        return magicCommit;
    }

    /** {@link #CONDITIONAL_CREATE}. */
    public boolean conditionalCreate() {
        return conditionalCreate;
    }

    Optional<Keys> keys() {
        return keys;
    }

    /** Where credentials come from, without any secret: {@code keys from configuration}, {@code profile x}, {@code default chain}. */
    public String credentialsSource() {
        if (keys.isPresent()) {
            return keys.get().sessionToken().isPresent() ? "session keys from configuration" : "keys from configuration";
        }
        return profile.map(p -> "profile " + p).orElse("the AWS SDK default provider chain");
    }

    @Override
    public String toString() {
        return "S3Config[bucket=%s, endpoint=%s, region=%s, pathStyle=%s, blockSize=%s bytes, readPartSize=%s bytes, "
                .formatted(bucket, endpoint.map(URI::toString).orElse("AWS"), region, pathStyle, blockSize, readPartSize)
                + "readConcurrency=%s, writePartSize=%s bytes, maxConnections=%s, connectTimeout=%s, socketTimeout=%s, "
                        .formatted(readConcurrency, writePartSize, maxConnections, connectTimeout, socketTimeout)
                + "retryAttempts=%s, retryBaseDelay=%s, retryMaxDelay=%s, magicCommit=%s, conditionalCreate=%s, credentials=%s]"
                        .formatted(retryAttempts, retryBaseDelay, retryMaxDelay, magicCommit, conditionalCreate, credentialsSource());
    }

    /** spindle.s3.x, then fs.s3a.bucket.NAME.y, then fs.s3a.y. */
    private static final class Lookup {
        private final Configuration conf;
        private final String bucket;

        Lookup(Configuration conf, String bucket) {
            this.conf = conf;
            this.bucket = bucket;
        }

        Optional<String> get(String spindleKey, String s3aSuffix) {
            for (String key : keys(spindleKey, s3aSuffix)) {
                String value = conf.getTrimmed(key);
                if (value != null && !value.isEmpty()) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        }

        Duration duration(String spindleKey, String s3aSuffix, Duration defaultValue) {
            for (String key : keys(spindleKey, s3aSuffix)) {
                if (conf.getTrimmed(key) != null && !conf.getTrimmed(key).isEmpty()) {
                    // S3A's timeouts are milliseconds when given without a unit
                    long millis = conf.getTimeDuration(key, defaultValue.toMillis(), TimeUnit.MILLISECONDS);
                    if (millis <= 0) {
                        throw new IllegalArgumentException("%s must be positive, got %s".formatted(key, conf.get(key)));
                    }
                    return Duration.ofMillis(millis);
                }
            }
            return defaultValue;
        }

        Optional<String> password(String spindleKey, String s3aSuffix) {
            for (String key : keys(spindleKey, s3aSuffix)) {
                try {
                    char[] value = conf.getPassword(key);
                    if (value != null && value.length > 0) {
                        return Optional.of(new String(value).trim());
                    }
                } catch (IOException e) {
                    // the message names the provider path, never the secret
                    throw new UncheckedIOException("Cannot read %s from the Hadoop credential providers".formatted(key), e);
                }
            }
            return Optional.empty();
        }

        private String[] keys(String spindleKey, String s3aSuffix) {
            return new String[] {spindleKey, "fs.s3a.bucket." + bucket + "." + s3aSuffix, "fs.s3a." + s3aSuffix};
        }
    }

    private static URI endpointUri(String value) {
        URI uri = URI.create(value.contains("://") ? value : "https://" + value);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("S3 endpoint is not a URL (http://host:port): " + value);
        }
        return uri;
    }

    private static boolean parseBoolean(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("S3 path-style access must be true or false, got '%s' (%s)".formatted(value, PATH_STYLE));
    }

    private static long positiveBytes(Configuration conf, String key, long defaultValue) {
        long value = conf.getLongBytes(key, defaultValue);
        if (value <= 0) {
            throw new IllegalArgumentException("%s must be a positive size (bytes, or 8m, 128m), got %s".formatted(key, conf.get(key)));
        }
        return value;
    }

    private static int positiveInt(Configuration conf, String key, int defaultValue) {
        String value = conf.getTrimmed(key);
        return value == null || value.isEmpty() ? defaultValue : parsePositiveInt(key, value);
    }

    private static int parsePositiveInt(String key, String value) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("%s must be a positive integer, got '%s'".formatted(key, value), e);
        }
        if (parsed <= 0) {
            throw new IllegalArgumentException("%s must be a positive integer, got '%s'".formatted(key, value));
        }
        return parsed;
    }

    private static Duration duration(Configuration conf, String key, Duration defaultValue) {
        long millis = conf.getTimeDuration(key, defaultValue.toMillis(), TimeUnit.MILLISECONDS);
        if (millis < 0) {
            throw new IllegalArgumentException("%s must not be negative, got %s".formatted(key, conf.get(key)));
        }
        return Duration.ofMillis(millis);
    }
}
