package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spindle on a Kerberized cluster: a MiniKdc and a secure MiniDFSCluster + MiniYARNCluster
 * ({@link SecureClusterMain}, in a JVM of its own), and every client a JVM of its own with the
 * KDC's krb5.conf and no ticket cache. The job's AM and workers are the NodeManager's container
 * JVMs, with no keytab and no ticket: they run on the delegation tokens the client put into the
 * AM's credentials, which the ResourceManager renews (and so checks) when the job is submitted.
 */
class KerberizedClusterIT {

    private static final int ROWS = 20_000;
    private static final Pattern SUBMITTED = Pattern.compile("Submitted csv-to-avro as (application_\\d+_\\d+)");
    private static final Pattern RUNNING_AS = Pattern.compile("Running as (\\S+) with tokens: \\[(.*)\\]; Kerberos credentials: (\\S+)");

    private static File dir;
    private static Process cluster;
    private static File clusterLog;
    private static String confDir;
    private static String krb5Conf;
    private static String principal;
    private static String userKeytab;

    @BeforeAll
    static void startSecureCluster() throws Exception {
        dir = new File("target/kerberized-cluster-it").getAbsoluteFile();
        if (dir.exists()) {
            try (Stream<java.nio.file.Path> paths = Files.walk(dir.toPath())) {
                paths.sorted(Comparator.reverseOrder()).map(java.nio.file.Path::toFile).forEach(File::delete);
            }
        }
        Files.createDirectories(dir.toPath());
        clusterLog = new File(dir, "secure-cluster.log");
        File siteDir = new File(dir, "cluster-site");
        Files.createDirectories(siteDir.toPath());
        List<String> command = new ArrayList<>(List.of(java(), "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx1g",
                "-cp", siteDir + File.pathSeparator + System.getProperty("java.class.path"), SecureClusterMain.class.getName(),
                dir.getPath(), Integer.toString(ROWS), siteDir.getPath()));
        cluster = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(clusterLog).start();
        File ready = new File(dir, "ready.properties");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!ready.isFile()) {
            if (!cluster.isAlive()) {
                fail("the secure cluster exited with " + cluster.exitValue() + ":\n" + tail(clusterLog));
            }
            if (System.nanoTime() > deadline) {
                fail("the secure cluster did not come up within 120 s:\n" + tail(clusterLog));
            }
            Thread.sleep(200);
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(ready.toPath())) {
            properties.load(in);
        }
        confDir = properties.getProperty("conf.dir");
        krb5Conf = properties.getProperty("krb5.conf");
        principal = SecureClusterMain.USER + "@" + properties.getProperty("realm");
        userKeytab = properties.getProperty("user.keytab");
    }

    @AfterAll
    static void stopSecureCluster() throws Exception {
        if (cluster == null) {
            return;
        }
        cluster.getOutputStream().close();
        if (!cluster.waitFor(60, TimeUnit.SECONDS)) {
            cluster.destroyForcibly();
            cluster.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKeytabLoginRunsTheJobOnDelegationTokensOnly() throws Exception {
        Run job = spindle(Map.of(), CliRun.withJobJar("csv-to-avro", "--cluster", confDir, "-D", "spindle.kerberos.principal=" + principal,
                "-D", "spindle.kerberos.keytab=" + userKeytab, "--input", SecureClusterMain.INPUT, "--output", "/user/user/out/keytab",
                "--containers", "2", "--no-uber", "--quiet"));
        assertEquals(0, job.exitCode(), job.toString());
        assertTrue(job.output().contains("csv-to-avro SUCCEEDED"), job.toString());
        assertEquals(Long.toString(ROWS), countRows("/user/user/out/keytab"));

        // the AM and every worker: the submitter's HDFS token, no Kerberos credentials of their own
        String id = applicationId(job.output());
        List<MatchResult> containers = containerLogins(id, 1);
        for (MatchResult container : containers) {
            assertEquals(SecureClusterMain.USER, container.group(1), container.group());
            assertTrue(container.group(2).contains("Kind: HDFS_DELEGATION_TOKEN"), container.group());
            assertEquals("none", container.group(3), container.group());
        }
        // the ResourceManager renewed the job's HDFS token when it accepted the job: its renewer is the RM
        assertTrue(Files.readAllLines(clusterLog.toPath(), UTF_8).stream().anyMatch(line ->
                line.contains("Renewed delegation-token= [Kind: HDFS_DELEGATION_TOKEN") && line.contains("owner=" + principal)
                        && line.contains(id)), "the RM's log has no renewal of the job's HDFS token");
    }

    @Test
    void aClientWithOnlyTheTokensOfHadoopTokenFileLocationRunsTheJob() throws Exception {
        File tokens = new File(dir, "launcher.tokens");
        Run fetch = java(Map.of(), TokenFileMain.class.getName(), confDir, principal, userKeytab, tokens.getPath());
        assertEquals(0, fetch.exitCode(), fetch.toString());
        assertTrue(fetch.output().contains("token HDFS_DELEGATION_TOKEN"), fetch.toString());
        assertTrue(fetch.output().contains("token RM_DELEGATION_TOKEN"), fetch.toString());

        // no principal, no keytab, no ticket cache: only the token file, as under Oozie's launcher. Hadoop's login
        // then names the client by its operating-system user, so the staging dir is the token owner's.
        Run job = spindle(Map.of("HADOOP_TOKEN_FILE_LOCATION", tokens.getPath()), CliRun.withJobJar("csv-to-avro", "--cluster", confDir,
                "-D", "spindle.yarn.staging-dir=/user/user/.spindle/staging",
                "--input", SecureClusterMain.INPUT, "--output", "/user/user/out/token-file", "--quiet"));
        assertEquals(0, job.exitCode(), job.toString());
        assertTrue(job.output().contains("csv-to-avro SUCCEEDED"), job.toString());
        assertEquals(Long.toString(ROWS), countRows("/user/user/out/token-file"));
        List<MatchResult> containers = containerLogins(applicationId(job.output()), 0);
        // a token only the file has: the client submitted with the file's tokens
        assertTrue(containers.get(0).group(2).contains("Kind: RM_DELEGATION_TOKEN"), containers.get(0).group());
        for (MatchResult container : containers) {
            assertEquals(SecureClusterMain.USER, container.group(1), container.group());
            assertTrue(container.group(2).contains("Kind: HDFS_DELEGATION_TOKEN"), container.group());
            assertEquals("none", container.group(3), container.group());
        }

        // without the token file the same client has no credentials at all: the cluster refuses it
        Run refused = spindle(Map.of(), "count", "--cluster", confDir, "/user/user/out/token-file");
        assertEquals(ExitCode.ENVIRONMENT.code(), refused.exitCode(), refused.toString());
        assertTrue(refused.output().contains("Client cannot authenticate via:[TOKEN, KERBEROS]"), refused.toString());
    }

    /** {@code spindle count --scan}, logged in from the user's keytab: the records in the output's files. */
    private static String countRows(String output) throws Exception {
        Run count = spindle(Map.of(), "count", "--cluster", confDir, "-D", "spindle.kerberos.principal=" + principal,
                "-D", "spindle.kerberos.keytab=" + userKeytab, "--scan", output);
        assertEquals(0, count.exitCode(), count.toString());
        return count.output().lines().reduce((first, second) -> second).orElse("").strip();
    }

    /**
     * The {@code Running as ...} line of every container of the job that started, from the logs the
     * NodeManager keeps in its log dir: the AM's (it holds the AMRM token) first, then the workers'.
     */
    private static List<MatchResult> containerLogins(String applicationId, int workers) throws Exception {
        List<java.nio.file.Path> containers;
        try (Stream<java.nio.file.Path> paths = Files.walk(new File(dir, "cluster").toPath())) {
            containers = paths.filter(path -> path.getFileName().toString().startsWith("container_")
                    && path.getParent().getFileName().toString().equals(applicationId)).sorted().toList();
        }
        List<MatchResult> found = new ArrayList<>();
        for (java.nio.file.Path container : containers) {
            java.nio.file.Path launch = container.resolve("launch_container.sh");
            if (Files.isRegularFile(launch)) {
                assertFalse(Files.readString(launch, UTF_8).contains("keytab"), "a keytab in the launch script of " + container);
            }
            java.nio.file.Path stderr = container.resolve("stderr");
            if (Files.isRegularFile(stderr)) {
                Matcher matcher = RUNNING_AS.matcher(Files.readString(stderr, UTF_8));
                if (matcher.find()) {
                    found.add(matcher.toMatchResult());
                }
            }
        }
        assertTrue(found.size() >= 1 + workers, "the AM and at least " + workers + " worker(s) log their tokens in "
                + containers + ": " + found.stream().map(MatchResult::group).toList());
        assertTrue(found.get(0).group(2).contains("Kind: YARN_AM_RM_TOKEN"), "the AM's: " + found.get(0).group());
        return found;
    }

    private static String applicationId(String output) {
        Matcher submitted = SUBMITTED.matcher(output);
        assertTrue(submitted.find(), output);
        return submitted.group(1);
    }

    private static Run spindle(Map<String, String> environment, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(SpindleCli.class.getName()));
        all.addAll(List.of(args));
        return java(environment, all.toArray(new String[0]));
    }

    /** A JVM of its own with the KDC's krb5.conf, no ticket cache and no inherited Hadoop environment. */
    private static Run java(Map<String, String> environment, String... mainAndArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.security.krb5.conf=" + krb5Conf, "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(mainAndArgs));
        File output = File.createTempFile("run-", ".log", dir);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
        builder.environment().remove("HADOOP_TOKEN_FILE_LOCATION");
        builder.environment().remove("HADOOP_CONF_DIR");
        builder.environment().remove("HADOOP_USER_NAME");
        builder.environment().put("KRB5CCNAME", "FILE:" + new File(dir, "no-ticket-cache").getPath());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("still running after 180 s: " + String.join(" ", command) + "\n" + tail(output));
        }
        return new Run(process.exitValue(), Files.readString(output.toPath(), UTF_8));
    }

    private static String java() {
        return System.getProperty("java.home") + "/bin/java";
    }

    private static String tail(File file) throws Exception {
        List<String> lines = Files.readAllLines(file.toPath(), UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    private record Run(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + output;
        }
    }
}
