package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.DataInputByteBuffer;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launch context of a container, built from a staging directory on the local file system; no YARN. */
class LaunchContextsTest {

    private static final String MAIN = WorkerMain.class.getName();
    private static final byte[] SECRET = "0123456789abcdef0123456789ABCDEF".getBytes(UTF_8);
    private static final Text TOKEN_SERVICE = new Text("hdfs://namenode:8020");

    @TempDir
    java.nio.file.Path directory;

    private Path staging(boolean withJar) throws IOException {
        Files.writeString(directory.resolve(LaunchContexts.JOB_CONF), "<configuration/>");
        Files.writeString(directory.resolve(LaunchContexts.JOB_SPEC), "{\"specVersion\":2}");
        if (withJar) {
            Files.write(directory.resolve(LaunchContexts.JOB_JAR), new byte[1234]);
        }
        return new Path("file:" + directory);
    }

    private static Credentials credentials() {
        Credentials credentials = new Credentials();
        JobSecret.store(credentials, SECRET);
        credentials.addToken(TOKEN_SERVICE, new Token<TokenIdentifier>("id".getBytes(UTF_8), "pw".getBytes(UTF_8),
                new Text("HDFS_DELEGATION_TOKEN"), TOKEN_SERVICE));
        return credentials;
    }

    private static Configuration conf(String... keyValues) {
        Configuration conf = new Configuration(false);
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.set(keyValues[i], keyValues[i + 1]);
        }
        return conf;
    }

    private ContainerLaunchContext create(Configuration conf, boolean withJar, int memoryMb) throws IOException {
        return LaunchContexts.create(conf, YarnAppConfig.from(conf), staging(withJar), MAIN, memoryMb,
                List.of("http://am-host:4242"), credentials());
    }

    @Test
    void localizesTheStagedFilesWithTheirSizesForTheApplication() throws IOException {
        ContainerLaunchContext context = create(conf(), true, 1024);

        Map<String, LocalResource> resources = context.getLocalResources();
        assertEquals(Set.of(LaunchContexts.JOB_CONF, LaunchContexts.JOB_SPEC, LaunchContexts.JOB_JAR), resources.keySet());
        for (Map.Entry<String, LocalResource> entry : resources.entrySet()) {
            LocalResource resource = entry.getValue();
            java.nio.file.Path file = directory.resolve(entry.getKey());
            assertEquals(Files.size(file), resource.getSize(), entry.getKey());
            assertEquals(Files.getLastModifiedTime(file).toMillis(), resource.getTimestamp(), entry.getKey());
            assertEquals(LocalResourceType.FILE, resource.getType());
            assertEquals(LocalResourceVisibility.APPLICATION, resource.getVisibility());
            assertEquals("file", resource.getResource().getScheme());
            assertEquals(file.toString(), resource.getResource().getFile());
        }
        assertEquals(1234, resources.get(LaunchContexts.JOB_JAR).getSize());
    }

    @Test
    void withoutAStagedJarTheClassPathIsTheWorkingDirectoryAndTheClusters() throws IOException {
        ContainerLaunchContext context = create(conf(YarnConfiguration.YARN_APPLICATION_CLASSPATH, "/etc/hadoop, /opt/hadoop/*"),
                false, 1024);

        assertEquals(Set.of(LaunchContexts.JOB_CONF, LaunchContexts.JOB_SPEC), context.getLocalResources().keySet());
        assertEquals("{{PWD}}<CPS>/etc/hadoop<CPS>/opt/hadoop/*", context.getEnvironment().get("CLASSPATH"));
    }

    @Test
    void aConfiguredContainerClassPathReplacesTheClustersAfterTheJobJar() throws IOException {
        ContainerLaunchContext context = create(conf(YarnAppConfig.CONTAINER_CLASSPATH, "/h/a.jar::/h/b.jar:",
                YarnConfiguration.YARN_APPLICATION_CLASSPATH, "/not/used"), true, 1024);

        assertEquals("{{PWD}}<CPS>{{PWD}}/spindle-job.jar<CPS>/h/a.jar<CPS>/h/b.jar", context.getEnvironment().get("CLASSPATH"));
    }

    @Test
    void theCommandRunsTheMainClassWithHeapJvmOptionsLogConfigAndContainerId() throws IOException {
        ContainerLaunchContext context = create(conf(YarnAppConfig.JVM_OPTIONS, "-XX:+UseSerialGC -Dx=y"), true, 1024);

        assertEquals(List.of("{{JAVA_HOME}}/bin/java -Xmx768m -XX:+UseSerialGC -Dx=y "
                + "-Dlog4j.configuration=spindle-container-log4j.properties -Dspindle.container-id={{CONTAINER_ID}} "
                + MAIN + " http://am-host:4242 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr"), context.getCommands());
        assertFalse(context.getEnvironment().containsKey("JAVA_HOME"), "the NodeManager's JAVA_HOME is used");
        assertEquals("file:" + directory, context.getEnvironment().get(LaunchContexts.STAGING_ENV));
    }

    @Test
    void aConfiguredJavaHomeIsTheJavaRunAndTheContainersJavaHome() throws IOException {
        ContainerLaunchContext context = create(conf(YarnAppConfig.JAVA_HOME, "/opt/jdk-17"), true, 1024);

        assertTrue(context.getCommands().get(0).startsWith("/opt/jdk-17/bin/java -Xmx768m "
                + YarnAppConfig.JVM_OPTIONS_DEFAULT + " "), context.getCommands().get(0));
        assertEquals("/opt/jdk-17", context.getEnvironment().get("JAVA_HOME"));
    }

    @Test
    void theHeapIsThreeQuartersOfTheContainerAndAtLeast64MiB() throws IOException {
        assertTrue(create(conf(), true, 4096).getCommands().get(0).contains(" -Xmx3072m "));
        assertTrue(create(conf(), true, 64).getCommands().get(0).contains(" -Xmx64m "));
    }

    @Test
    void theCredentialsCarryTheTokensAndTheJobSecret() throws IOException {
        ContainerLaunchContext context = create(conf(), true, 1024);

        DataInputByteBuffer in = new DataInputByteBuffer();
        in.reset(context.getTokens().duplicate());
        Credentials read = new Credentials();
        read.readTokenStorageStream(in);
        assertArrayEquals(SECRET, read.getSecretKey(new Text("spindle.job.secret")));
        assertEquals(new Text("HDFS_DELEGATION_TOKEN"), read.getToken(TOKEN_SERVICE).getKind());
        assertEquals(1, read.numberOfTokens());
    }

    @Test
    void theJobSecretIsNeitherInTheCommandLineNorInTheEnvironment() throws IOException {
        ContainerLaunchContext context = create(conf(), true, 1024);

        List<String> visible = new ArrayList<>(context.getCommands());
        context.getEnvironment().forEach((key, value) -> visible.add(key + "=" + value));
        List<String> forms = List.of(new String(SECRET, UTF_8), HexFormat.of().formatHex(SECRET),
                Base64.getEncoder().encodeToString(SECRET), Base64.getUrlEncoder().withoutPadding().encodeToString(SECRET),
                "spindle.job.secret");
        for (String text : visible) {
            for (String form : forms) {
                assertFalse(text.contains(form), "the secret as '%s' in '%s'".formatted(form, text));
            }
        }
        assertTrue(visible.size() >= 3, "the command and the environment were checked: " + visible);
    }
}
