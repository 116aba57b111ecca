package dev.spindle.yarn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.util.Records;
import org.apache.hadoop.yarn.api.records.URL;

/**
 * Builds the launch contexts of the AM and the workers: the same staged files, classpath,
 * JVM options and credentials for both, so the AM and its workers run the same code.
 */
final class LaunchContexts {

    /** Names of the staged files, in the staging dir and in every container's working dir. */
    static final String JOB_JAR = "spindle-job.jar";
    static final String JOB_CONF = "spindle-job.xml";
    static final String JOB_SPEC = "spindle-spec.json";
    /** The environment variable telling the AM where the job is staged. */
    static final String STAGING_ENV = "SPINDLE_STAGING_DIR";
    static final String LOG4J_CONFIG = "spindle-container-log4j.properties";
    /** The system property on every container JVM's command line holding its container id. */
    static final String CONTAINER_ID_PROPERTY = "spindle.container-id";

    private LaunchContexts() {}

    /**
     * A launch context running {@code mainClass} with the staged files localized.
     *
     * @param stagingDir where {@link #JOB_CONF}, {@link #JOB_SPEC} and maybe {@link #JOB_JAR} are (or
     *     the jar is {@link YarnAppConfig#STAGED_JAR}, in the jar cache)
     */
    static ContainerLaunchContext create(
            Configuration conf,
            YarnAppConfig config,
            Path stagingDir,
            String mainClass,
            int memoryMb,
            List<String> args,
            Credentials credentials)
            throws IOException {
        FileSystem fs = stagingDir.getFileSystem(conf);
        Map<String, LocalResource> resources = new HashMap<>();
        for (String name : List.of(JOB_CONF, JOB_SPEC, JOB_JAR)) {
            Path path = new Path(stagingDir, name);
            if (fs.exists(path)) {
                resources.put(name, resource(fs, path, LocalResourceVisibility.APPLICATION));
            }
        }
        if (config.stagedJar().isPresent()) {
            // the jar cache (JarCache): the NodeManagers keep a PRIVATE resource for the user's later jobs
            Path jar = new Path(config.stagedJar().get());
            resources.put(JOB_JAR, resource(jar.getFileSystem(conf), jar, LocalResourceVisibility.PRIVATE));
        }

        // a class-data archive needs a jar to key it to, and a class path that is the same in
        // every container of the node: without the container's own directory
        boolean cds = config.containerCds() && resources.containsKey(JOB_JAR);
        Map<String, String> environment = new HashMap<>();
        environment.put(Environment.CLASSPATH.name(), classpath(conf, config, resources.containsKey(JOB_JAR), cds));
        environment.put(STAGING_ENV, stagingDir.toString());
        config.javaHome().ifPresent(home -> environment.put(Environment.JAVA_HOME.name(), home));

        List<String> command = new ArrayList<>();
        if (cds) {
            command.add(cdsPrologue(mainClass));
        }
        command.add(config.javaHome().map(home -> home + "/bin/java").orElse(Environment.JAVA_HOME.$$() + "/bin/java"));
        command.add("-Xmx" + Math.max(64, memoryMb * 3 / 4) + "m");
        if (cds) {
            command.add("-Xlog:cds=off -Xlog:cds+dynamic=off \\$cds");
        }
        if (!config.jvmOptions().isEmpty()) {
            command.add(config.jvmOptions());
        }
        if (mainClass.equals(ApplicationMaster.class.getName()) && !config.amJvmOptions().isEmpty()) {
            command.add(config.amJvmOptions());
        }
        command.add("-Dlog4j.configuration=" + LOG4J_CONFIG);
        // names the container on the JVM's command line, for jps -v, ps and tests that kill it
        command.add("-D" + CONTAINER_ID_PROPERTY + "=" + Environment.CONTAINER_ID.$$());
        command.add(mainClass);
        command.addAll(args);
        command.add("1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stdout");
        command.add("2>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr");
        if (cds) {
            command.add(CDS_EPILOGUE);
        }

        DataOutputBuffer tokens = new DataOutputBuffer();
        credentials.writeTokenStorageToStream(tokens);
        ByteBuffer tokenBuffer = ByteBuffer.wrap(tokens.getData(), 0, tokens.getLength());
        return ContainerLaunchContext.newInstance(resources, environment, List.of(String.join(" ", command)), null, tokenBuffer, null);
    }

    /*
     * The command runs as `exec /bin/bash -c "COMMAND"` in the NodeManager's launch script, whose
     * shell expands it first: no double quotes in it, and \$ for what the inner shell expands.
     * The archive is named after the jar's localized copy (a PRIVATE resource is localized once
     * per node and user, so later containers there find the same path; the archive records its
     * class path as given, so the class path names that file, not the container's link, which is
     * gone with the container). A missing, unwritable or
     * unfitting archive means plain class loading; it is renamed into place only after a
     * successful exit, so a killed JVM leaves none.
     */
    private static String cdsPrologue(String mainClass) {
        String name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        return "jar=\\$(readlink -f " + JOB_JAR + ");"
                // the archive names its class path as given: the jar's real path, not the container's link
                + " export CLASSPATH=\\$jar\\${CLASSPATH#\\$PWD/" + JOB_JAR + "};"
                // one archive per class path (another job's container class path is another archive)
                + " jsa=\\$jar." + name + ".\\$(echo \\$CLASSPATH | cksum | cut -d' ' -f1).jsa; dump=; cds=;"
                // a dump killed with its container (the NodeManager kills the process group) leaves its
                // partial file: the next container removes those older than a dump can take
                + " find \\${jsa%/*} -maxdepth 1 -name \\${jsa##*/}.\\*.tmp -mmin +10 -delete 2>/dev/null;"
                + " if [ -s \\$jsa ]; then cds=-XX:SharedArchiveFile=\\$jsa;"
                + " elif [ -w \\${jsa%/*} ]; then dump=\\$jsa.\\$\\$.tmp; cds=-XX:ArchiveClassesAtExit=\\$dump; fi;";
    }

    private static final String CDS_EPILOGUE = "; rc=\\$?; if [ x\\$dump != x ]; then if [ \\$rc = 0 ] && [ -s \\$dump ];"
            + " then mv -f \\$dump \\$jsa; else rm -f \\$dump; fi; fi; exit \\$rc";

    private static String classpath(Configuration conf, YarnAppConfig config, boolean shipsJar, boolean withoutPwd) {
        String separator = ApplicationConstants.CLASS_PATH_SEPARATOR;
        StringBuilder classpath = new StringBuilder(withoutPwd ? "" : Environment.PWD.$$());
        if (shipsJar) {
            if (!withoutPwd) {
                classpath.append(separator);
            }
            classpath.append(Environment.PWD.$$()).append('/').append(JOB_JAR);
        }
        if (config.containerClasspath().isPresent()) {
            for (String entry : config.containerClasspath().get().split(":")) {
                if (!entry.isBlank()) {
                    classpath.append(separator).append(entry);
                }
            }
        } else {
            for (String entry : conf.getStrings(YarnConfiguration.YARN_APPLICATION_CLASSPATH,
                    YarnConfiguration.DEFAULT_YARN_CROSS_PLATFORM_APPLICATION_CLASSPATH)) {
                classpath.append(separator).append(entry.trim());
            }
        }
        return classpath.toString();
    }

    private static LocalResource resource(FileSystem fs, Path path, LocalResourceVisibility visibility) throws IOException {
        FileStatus status = fs.getFileStatus(path);
        LocalResource resource = Records.newRecord(LocalResource.class);
        resource.setResource(URL.fromPath(fs.makeQualified(path)));
        resource.setSize(status.getLen());
        resource.setTimestamp(status.getModificationTime());
        resource.setType(LocalResourceType.FILE);
        resource.setVisibility(visibility);
        return resource;
    }
}
