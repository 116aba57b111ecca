package dev.spindle.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ConfigTest {

    @Test
    void defaults() {
        S3Config config = S3Config.from(new Configuration(false), "b");

        assertEquals(Optional.empty(), config.endpoint());
        assertEquals("us-east-1", config.region());
        assertFalse(config.pathStyle());
        assertEquals(128L << 20, config.blockSize());
        assertEquals(16 << 20, config.readPartSize());
        assertEquals(4, config.readConcurrency());
        assertEquals(16 << 20, config.writePartSize());
        assertEquals(64, config.maxConnections());
        assertEquals(Duration.ofSeconds(10), config.connectTimeout());
        assertEquals(Duration.ofSeconds(60), config.socketTimeout());
        assertEquals(8, config.retryAttempts());
        assertEquals(Duration.ofMillis(100), config.retryBaseDelay());
        assertEquals(Duration.ofSeconds(10), config.retryMaxDelay());
        assertTrue(config.magicCommit());
        assertEquals("the AWS SDK default provider chain", config.credentialsSource());
    }

    @Test
    void sizesAndTimesTakeUnits() {
        Configuration conf = new Configuration(false);
        conf.set(S3Config.BLOCK_SIZE, "1m");
        conf.set(S3Config.READ_PART_SIZE, "256k");
        conf.set(S3Config.SOCKET_TIMEOUT, "2m");
        conf.set(S3Config.RETRY_BASE_DELAY, "5ms");

        S3Config config = S3Config.from(conf, "b");

        assertEquals(1 << 20, config.blockSize());
        assertEquals(256 << 10, config.readPartSize());
        assertEquals(Duration.ofMinutes(2), config.socketTimeout());
        assertEquals(Duration.ofMillis(5), config.retryBaseDelay());
    }

    @Test
    void s3aSettingsApplyPerBucketAndSpindleKeysOverrideThem() {
        Configuration conf = new Configuration(false);
        conf.set("fs.s3a.endpoint", "http://global:9000");
        conf.set("fs.s3a.endpoint.region", "eu-west-1");
        conf.set("fs.s3a.path.style.access", "true");
        conf.set("fs.s3a.bucket.special.endpoint", "http://special:9000");
        conf.set("fs.s3a.connection.timeout", "30000");

        S3Config plain = S3Config.from(conf, "plain");
        assertEquals(Optional.of(URI.create("http://global:9000")), plain.endpoint());
        assertEquals("eu-west-1", plain.region());
        assertTrue(plain.pathStyle());
        assertEquals(Duration.ofSeconds(30), plain.socketTimeout());
        assertEquals(Optional.of(URI.create("http://special:9000")), S3Config.from(conf, "special").endpoint());

        conf.set(S3Config.ENDPOINT, "http://127.0.0.1:1234");
        conf.set(S3Config.PATH_STYLE, "false");
        assertEquals(Optional.of(URI.create("http://127.0.0.1:1234")), S3Config.from(conf, "special").endpoint());
        assertFalse(S3Config.from(conf, "plain").pathStyle());
    }

    @Test
    void keysComeFromAHadoopCredentialProviderAndAreNeverPrinted(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration(false);
        String provider = "jceks://file" + new File(dir.toFile(), "s3.jceks").getAbsolutePath();
        conf.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, provider);
        CredentialProvider store = CredentialProviderFactory.getProviders(conf).get(0);
        store.createCredentialEntry("fs.s3a.access.key", "AKIDEXAMPLE".toCharArray());
        store.createCredentialEntry("fs.s3a.secret.key", "wJalrXUtnFEMIsecret".toCharArray());
        store.flush();

        S3Config config = S3Config.from(conf, "b");

        assertEquals("AKIDEXAMPLE", config.keys().orElseThrow().accessKey());
        assertEquals("wJalrXUtnFEMIsecret", config.keys().orElseThrow().secretKey());
        assertEquals("keys from configuration", config.credentialsSource());
        assertFalse(config.toString().contains("AKIDEXAMPLE"), config.toString());
        assertFalse(config.toString().contains("wJalrXUtnFEMIsecret"), config.toString());
        assertFalse(config.keys().orElseThrow().toString().contains("secret"));
    }

    @Test
    void aProfileIsUsedWithoutKeys() {
        Configuration conf = new Configuration(false);
        conf.set(S3Config.PROFILE, "etl");
        assertEquals("profile etl", S3Config.from(conf, "b").credentialsSource());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        Configuration conf = new Configuration(false);
        conf.set(S3Config.WRITE_PART_SIZE, "1m");
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> S3Config.from(conf, "b"));
        assertTrue(small.getMessage().startsWith("spindle.s3.write.part-size must be between 5 MiB and 2 GiB"), small.getMessage());

        Configuration half = new Configuration(false);
        half.set("fs.s3a.access.key", "AKIDEXAMPLE");
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class, () -> S3Config.from(half, "b"));
        assertFalse(alone.getMessage().contains("AKIDEXAMPLE"));

        Configuration concurrency = new Configuration(false);
        concurrency.set(S3Config.READ_CONCURRENCY, "0");
        assertEquals("spindle.s3.read.concurrency must be a positive integer, got '0'",
                assertThrows(IllegalArgumentException.class, () -> S3Config.from(concurrency, "b")).getMessage());
    }
}
