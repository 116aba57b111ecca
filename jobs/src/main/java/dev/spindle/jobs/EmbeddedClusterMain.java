package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

/**
 * The background process of {@code spindle cluster start}: runs an embedded HDFS + YARN until
 * it is stopped (SIGTERM), after writing the cluster's Hadoop conf files to {@code DIR/conf}
 * and a {@code DIR/ready} marker holding the HDFS URI.
 */
public final class EmbeddedClusterMain {

    static final String CONF_DIR = "conf";
    static final String READY_FILE = "ready";
    static final String PID_FILE = "cluster.pid";
    static final String LOG_FILE = "cluster.log";

    private EmbeddedClusterMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedClusterMain DIR");
            System.exit(ExitCode.USAGE.code());
        }
        File dir = new File(args[0]).getAbsoluteFile();
        File ready = new File(dir, READY_FILE);
        Files.deleteIfExists(ready.toPath());
        EmbeddedCluster cluster;
        try {
            cluster = EmbeddedCluster.onOneMachine(new File(dir, "data")).build();
        } catch (Throwable e) {
            // The mini clusters leave non-daemon threads behind: exit, or the process would hang.
            System.err.println("Cannot start the embedded cluster: " + e);
            e.printStackTrace();
            System.exit(ExitCode.ENVIRONMENT.code());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready.toPath());
                cluster.close();
            } catch (Exception e) {
                System.err.println("Error while stopping the embedded cluster: " + e);
            } finally {
                stopped.countDown();
            }
        }, "spindle-cluster-stop"));
        cluster.writeConfDir(new File(dir, CONF_DIR));
        Files.writeString(ready.toPath(), cluster.fileSystemUri() + "\n", UTF_8);
        System.err.println("Embedded cluster ready: " + cluster.fileSystemUri() + ", conf dir " + new File(dir, CONF_DIR));
        stopped.await();
    }
}
