package dev.spindle.jobs;

import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * A Kerberized HDFS + YARN and its KDC, in a JVM of its own (Hadoop's login is global to a JVM,
 * and the other integration tests share theirs with an unsecured cluster): a MiniKdc, then
 * MiniDFSCluster and MiniYARNCluster with {@code hadoop.security.authentication=kerberos}, block
 * access tokens, SASL on the data transfer protocol and SPNEGO principals for the web UIs.
 *
 * <p>Every daemon of an embedded cluster runs in this JVM under one login, so they share one
 * service principal, {@code hdfs/localhost}: the NameNode's superuser and the ResourceManager's
 * principal (the renewer of the job's HDFS tokens). The client principal is {@code user}.
 *
 * <p>Arguments: the work dir, the number of CSV rows to write as {@link #INPUT}, and a directory
 * at the head of this JVM's class path for its site file. Once up it
 * writes {@code ready.properties} (realm, krb5.conf, keytabs, conf dir) into the work dir and
 * stops when its standard input closes.
 */
final class SecureClusterMain {

    static final String USER = "user";
    static final String INPUT = "/data/krb/taxi.csv";

    private SecureClusterMain() {
    }

    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]).getAbsoluteFile();
        long rows = Long.parseLong(args[1]);
        Properties kdcConf = MiniKdc.createConf();
        kdcConf.setProperty(MiniKdc.KDC_BIND_ADDRESS, "127.0.0.1");
        MiniKdc kdc = new MiniKdc(kdcConf, new File(dir, "kdc"));
        kdc.start();
        try {
            String realm = kdc.getRealm();
            File serviceKeytab = new File(dir, "service.keytab");
            kdc.createPrincipal(serviceKeytab, "hdfs/localhost", "HTTP/localhost");
            File userKeytab = new File(dir, "user.keytab");
            kdc.createPrincipal(userKeytab, USER);
            String service = "hdfs/localhost@" + realm;
            String http = "HTTP/localhost@" + realm;
            String keytab = serviceKeytab.getAbsolutePath();

            Configuration secure = new Configuration(false);
            secure.set("hadoop.security.authentication", "kerberos");
            secure.set("dfs.namenode.kerberos.principal", service);
            secure.set("dfs.namenode.keytab.file", keytab);
            secure.set("dfs.datanode.kerberos.principal", service);
            secure.set("dfs.datanode.keytab.file", keytab);
            secure.set("dfs.web.authentication.kerberos.principal", http);
            secure.set("dfs.web.authentication.kerberos.keytab", keytab);
            secure.setBoolean("dfs.block.access.token.enable", true);
            secure.set("dfs.data.transfer.protection", "authentication");
            secure.set("dfs.http.policy", "HTTP_ONLY");
            // a secure DataNode wants privileged ports or HTTPS; a test cluster has neither
            secure.setBoolean("ignore.secure.ports.for.testing", true);
            secure.set("yarn.resourcemanager.principal", service);
            secure.set("yarn.resourcemanager.keytab", keytab);
            secure.set("yarn.nodemanager.principal", service);
            secure.set("yarn.nodemanager.keytab", keytab);
            secure.set("yarn.resourcemanager.webapp.spnego-principal", http);
            secure.set("yarn.resourcemanager.webapp.spnego-keytab-file", keytab);
            secure.set("yarn.nodemanager.webapp.spnego-principal", http);
            secure.set("yarn.nodemanager.webapp.spnego-keytab-file", keytab);
            // Aggregating logs on a secure cluster opens them through SecureIOUtils, which needs
            // Hadoop's native library; the test reads each container's log where the NodeManager wrote it
            secure.setBoolean("yarn.log-aggregation-enable", false);
            secure.setLong("yarn.nodemanager.delete.debug-delay-sec", 3600);
            // a node's /etc/krb5.conf for the container JVMs (the realm for Hadoop's login; no credentials)
            secure.set("yarn.nodemanager.admin-env", "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX,JAVA_TOOL_OPTIONS=-Djava.security.krb5.conf="
                    + kdc.getKrb5conf().getAbsolutePath());
            secure.set("yarn.nodemanager.container-executor.class",
                    "org.apache.hadoop.yarn.server.nodemanager.DefaultContainerExecutor");

            // Parts of a NodeManager read the site files, not its configuration: the localizer
            // downloading a job's files reads hdfs-site.xml from the class path, as on a real cluster
            // from HADOOP_CONF_DIR. Without the data transfer protection it speaks plain to a DataNode
            // that expects SASL, which then drops the connection.
            try (OutputStream out = Files.newOutputStream(new File(args[2], "core-site.xml").toPath())) {
                secure.writeXml(out);
            }

            // the ResourceManager's renewal of the job's tokens, for the test to find in this JVM's output
            org.apache.log4j.LogManager.getLogger("org.apache.hadoop.yarn.server.resourcemanager.security.DelegationTokenRenewer")
                    .setLevel(org.apache.log4j.Level.INFO);

            Configuration login = new Configuration();
            for (Map.Entry<String, String> entry : secure) {
                login.set(entry.getKey(), entry.getValue());
            }
            UserGroupInformation.setConfiguration(login);
            UserGroupInformation.loginUserFromKeytab(service, keytab);

            try (EmbeddedCluster cluster = EmbeddedCluster.builder(new File(dir, "cluster"))
                    .dataNodes(1).nodeManagers(1).hdfsBlockSize(1 << 20).configuration(secure).build()) {
                FileSystem fs = FileSystem.get(cluster.configuration());
                Path home = new Path("/user/" + USER);
                fs.mkdirs(home);
                fs.setOwner(home, USER, USER);
                try (OutputStream out = fs.create(new Path(INPUT))) {
                    new TaxiDataGenerator(13).write(out, rows);
                }
                File confDir = new File(dir, "conf");
                cluster.writeConfDir(confDir);
                Properties ready = new Properties();
                ready.setProperty("realm", realm);
                ready.setProperty("krb5.conf", kdc.getKrb5conf().getAbsolutePath());
                ready.setProperty("user.keytab", userKeytab.getAbsolutePath());
                ready.setProperty("conf.dir", confDir.getAbsolutePath());
                File tmp = new File(dir, "ready.properties.tmp");
                try (OutputStream out = Files.newOutputStream(tmp.toPath())) {
                    ready.store(out, "SecureClusterMain");
                }
                Files.move(tmp.toPath(), new File(dir, "ready.properties").toPath());
                System.out.println("SecureClusterMain: up, " + cluster.fileSystemUri());
                System.out.flush();
                // until the test closes our standard input (or dies)
                while (System.in.read() != -1) {
                    // nothing to read
                }
                System.out.println("SecureClusterMain: stopping");
            }
        } finally {
            kdc.stop();
        }
        System.out.println("SecureClusterMain: stopped");
        System.exit(0);
    }
}
