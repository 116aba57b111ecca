package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
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
                YarnConfiguration.YARN_APPLICATION_CLASSPATH, "/not/used", YarnAppConfig.CONTAINER_CDS, "false"), true, 1024);

        assertEquals("{{PWD}}<CPS>{{PWD}}/spindle-job.jar<CPS>/h/a.jar<CPS>/h/b.jar", context.getEnvironment().get("CLASSPATH"));
    }

    @Test
    void theAmsOwnJvmOptionsGoToTheAmOnlyAfterEveryContainersOptions() throws IOException {
        Configuration conf = conf(YarnAppConfig.JVM_OPTIONS, "-Dx=y", YarnAppConfig.AM_JVM_OPTIONS, YarnAppConfig.CLIENT_COMPILER_ONLY,
                YarnAppConfig.CONTAINER_CDS, "false");
        ContainerLaunchContext am = LaunchContexts.create(conf, YarnAppConfig.from(conf), staging(true), ApplicationMaster.class.getName(),
                512, List.of(), credentials());
        assertTrue(am.getCommands().get(0).contains(" -Dx=y -XX:TieredStopAtLevel=1 -Dlog4j.configuration="), am.getCommands().get(0));
        String worker = create(conf, true, 1024).getCommands().get(0);
        assertTrue(worker.contains(" -Dx=y -Dlog4j.configuration=") && !worker.contains("TieredStopAtLevel"), worker);
    }

    @Test
    void theCommandRunsTheMainClassWithHeapJvmOptionsLogConfigAndContainerId() throws IOException {
        ContainerLaunchContext context = create(conf(YarnAppConfig.JVM_OPTIONS, "-XX:+UseSerialGC -Dx=y", YarnAppConfig.CONTAINER_CDS, "false"), true, 1024);

        assertEquals(List.of("{{JAVA_HOME}}/bin/java -Xmx768m -XX:+UseSerialGC -Dx=y "
                + "-Dlog4j.configuration=spindle-container-log4j.properties -Dspindle.container-id={{CONTAINER_ID}} "
                + MAIN + " http://am-host:4242 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr"), context.getCommands());
        assertFalse(context.getEnvironment().containsKey("JAVA_HOME"), "the NodeManager's JAVA_HOME is used");
        assertEquals("file:" + directory, context.getEnvironment().get(LaunchContexts.STAGING_ENV));
    }

    @Test
    void withAClassDataArchiveTheClassPathIsTheJobJarAndTheClustersWithoutTheWorkingDirectory() throws IOException {
        ContainerLaunchContext context = create(conf(YarnAppConfig.CONTAINER_CLASSPATH, "/h/a.jar"), true, 1024);

        assertEquals("{{PWD}}/spindle-job.jar<CPS>/h/a.jar", context.getEnvironment().get("CLASSPATH"));
        // without a shipped jar there is nothing to key an archive to: plain java
        Files.delete(directory.resolve(LaunchContexts.JOB_JAR));
        ContainerLaunchContext noJar = create(conf(YarnAppConfig.CONTAINER_CLASSPATH, "/h/a.jar"), false, 1024);
        assertTrue(noJar.getCommands().get(0).startsWith("{{JAVA_HOME}}/bin/java "), noJar.getCommands().get(0));
        assertEquals("{{PWD}}<CPS>/h/a.jar", noJar.getEnvironment().get("CLASSPATH"));
    }

    /**
     * The command as the NodeManager's launch script runs it ({@code exec /bin/bash -c "…"}),
     * with a stand-in java: the first successful run writes the archive beside the jar's real
     * file, the next one uses it; a failed run leaves none; the exit code is java's.
     */
    @Test
    void theFirstSuccessfulContainerOnANodeWritesTheArchiveTheNextUsesIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/bin/bash").canExecute(), "needs bash");
        java.nio.file.Path javaHome = Files.createDirectories(directory.resolve("jdk/bin"));
        java.nio.file.Path java = javaHome.resolve("java");
        // prints its -XX: archive option; writes the archive it is asked to; exits with $EXIT_CODE
        Files.writeString(java, "#!/bin/bash\nfor a in \"$@\"; do case $a in -XX:*Archive*) echo \"$a\";; esac;"
                + " case $a in -XX:ArchiveClassesAtExit=*) echo archive > \"${a#*=}\";; esac; done\nexit ${EXIT_CODE:-0}\n");
        assertTrue(java.toFile().setExecutable(true));
        java.nio.file.Path cache = Files.createDirectories(directory.resolve("filecache/7"));
        Files.write(cache.resolve("spindle-jobs.jar"), new byte[10]);
        ContainerLaunchContext context = create(conf(YarnAppConfig.JAVA_HOME, javaHome.getParent().toString(),
                YarnAppConfig.CONTAINER_CLASSPATH, "/h/a.jar"), true, 1024);
        String command = context.getCommands().get(0).replace("<LOG_DIR>", directory.toString());
        String classpath = context.getEnvironment().get("CLASSPATH").replace("<CPS>", ":");
        String realClasspath = cache.toRealPath().resolve("spindle-jobs.jar") + ":/h/a.jar";
        Process cksum = new ProcessBuilder("/bin/bash", "-c", "echo " + realClasspath + " | cksum | cut -d' ' -f1").start();
        String sum = new String(cksum.getInputStream().readAllBytes(), UTF_8).trim();
        assertEquals(0, cksum.waitFor());
        java.nio.file.Path archive = cache.resolve("spindle-jobs.jar." + WorkerMain.class.getSimpleName() + "." + sum + ".jsa");

        assertEquals(3, runContainer(command, classpath, cache, "c1", 3));
        assertFalse(Files.exists(archive), "a failed run leaves no archive");
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(cache)) {
            assertEquals(1, files.count(), "no partial archive is left");
        }
        // partial archives of dumps killed with their containers: the stale one goes, a fresh one may be being written
        java.nio.file.Path stale = cache.resolve(archive.getFileName() + ".4711.tmp");
        java.nio.file.Path fresh = cache.resolve(archive.getFileName() + ".4712.tmp");
        Files.write(stale, new byte[3]);
        Files.write(fresh, new byte[3]);
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 20 * 60_000));
        assertEquals(0, runContainer(command, classpath, cache, "c2", 0));
        assertFalse(Files.exists(stale), "a partial archive older than 10 minutes is removed");
        assertTrue(Files.exists(fresh), "a recent one is left to the dump writing it");
        assertTrue(Files.readString(directory.resolve("stdout")).startsWith("-XX:ArchiveClassesAtExit=" + archive + "."),
                Files.readString(directory.resolve("stdout")));
        assertEquals("archive\n", Files.readString(archive));
        assertEquals(0, runContainer(command, classpath, cache, "c3", 0));
        assertEquals("-XX:SharedArchiveFile=" + archive + "\n", Files.readString(directory.resolve("stdout")));
    }

    /** Runs the launch command in a new container directory whose spindle-job.jar links to the cached jar. */
    private int runContainer(String command, String classpath, java.nio.file.Path cache, String name, int exitCode) throws Exception {
        java.nio.file.Path container = Files.createDirectories(directory.resolve(name));
        Files.createSymbolicLink(container.resolve(LaunchContexts.JOB_JAR), cache.resolve("spindle-jobs.jar"));
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c", "exec /bin/bash -c \"" + command + "\"")
                .directory(container.toFile()).redirectErrorStream(true);
        builder.environment().put("EXIT_CODE", Integer.toString(exitCode));
        // as the NodeManager's launch script exports them
        builder.environment().put("PWD", container.toString());
        builder.environment().put("CLASSPATH", classpath.replace("{{PWD}}", container.toString()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        int code = process.waitFor();
        assertEquals("", output.replaceAll("(?m)^.*\\{\\{CONTAINER_ID}}.*$", "").trim());
        return code;
    }

    @Test
    void aConfiguredJavaHomeIsTheJavaRunAndTheContainersJavaHome() throws IOException {
        ContainerLaunchContext context = create(conf(YarnAppConfig.JAVA_HOME, "/opt/jdk-17", YarnAppConfig.CONTAINER_CDS, "false"), true, 1024);

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
