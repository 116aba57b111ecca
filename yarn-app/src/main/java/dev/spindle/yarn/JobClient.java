package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.store.FileStores;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.util.ClassUtil;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * Submits jobs to YARN: stages the job jar, the configuration and the spec, puts the per-job
 * secret and the file systems' delegation tokens into the AM's credentials, and returns a
 * {@link JobHandle} that follows the job.
 */
public final class JobClient {

    /** The YARN application type of Spindle jobs. */
    public static final String APPLICATION_TYPE = "SPINDLE";

    private final Configuration conf;
    private final YarnAppConfig config;

    public JobClient(Configuration conf) {
        this.conf = new YarnConfiguration(requireNonNull(conf, "conf is null"));
        this.config = YarnAppConfig.from(this.conf);
    }

    /**
     * Submits the job and returns at once.
     *
     * @throws IOException if staging fails or no job jar can be found to ship
     */
    public JobHandle submit(JobSpec spec) throws IOException {
        requireNonNull(spec, "spec is null");
        long submitted = System.currentTimeMillis();
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(YarnAppConfig.withClientTimeouts(conf));
        yarn.start();
        try {
            YarnClientApplication application = yarn.createApplication();
            ApplicationId applicationId = application.getNewApplicationResponse().getApplicationId();
            FileSystem fs = FileSystem.get(conf);
            Path stagingRoot = config.stagingDir().map(Path::new)
                    .orElseGet(() -> new Path(fs.getHomeDirectory(), ".spindle/staging"));
            Path stagingDir = fs.makeQualified(new Path(stagingRoot, applicationId.toString()));
            // the RM allows no more; the AM reads the number from the staged conf to know its last attempt
            int amAttempts = Math.min(config.amAttempts(),
                    conf.getInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, YarnConfiguration.DEFAULT_RM_AM_MAX_ATTEMPTS));
            conf.setInt(YarnAppConfig.AM_ATTEMPTS, amAttempts);
            stage(fs, fs.makeQualified(stagingRoot), stagingDir, spec);

            byte[] secret = JobSecret.generate();
            Credentials credentials = inheritedTokens();
            JobSecret.store(credentials, secret);
            addDelegationTokens(spec, credentials);

            // read anew: staging added the cached jar's path to the conf
            ContainerLaunchContext amContext = LaunchContexts.create(conf, YarnAppConfig.from(conf), stagingDir,
                    ApplicationMaster.class.getName(), config.amMemoryMb(), List.of(), credentials);
            ApplicationSubmissionContext context = application.getApplicationSubmissionContext();
            context.setApplicationName(config.name().orElse("spindle " + spec.name() + " " + spec.output()));
            if (!config.tags().isEmpty()) {
                context.setApplicationTags(config.tags());
            }
            config.priority().ifPresent(value -> context.setPriority(org.apache.hadoop.yarn.api.records.Priority.newInstance(value)));
            context.setApplicationType(APPLICATION_TYPE);
            context.setQueue(config.queue());
            context.setResource(Resource.newInstance(config.amMemoryMb(), 1));
            context.setMaxAppAttempts(amAttempts);
            context.setAMContainerSpec(amContext);
            yarn.submitApplication(context);
            return new JobHandle(yarn, applicationId, secret, Optional.of(spec), conf, stagingDir, config, submitted);
        } catch (YarnException e) {
            yarn.stop();
            throw new IOException("YARN refused the job: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            yarn.stop();
            throw e;
        }
    }

    /**
     * Follows a job submitted earlier, by another driver or one that detached or died. The
     * job's secret exists only in its submitting driver and its containers, so an attached
     * handle follows YARN's report, not the AM's status endpoint: its statuses carry the state
     * but no blocks. The spec is read from the job's staging while the job runs; without it
     * (the job ended and its staging is gone) the result has no manifest.
     *
     * @throws IOException if the ResourceManager cannot be reached or does not know the id
     */
    public JobHandle attach(String applicationId) throws IOException {
        ApplicationId id = ApplicationId.fromString(requireNonNull(applicationId, "applicationId is null"));
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(YarnAppConfig.withClientTimeouts(conf));
        yarn.start();
        try {
            ApplicationReport report = yarn.getApplicationReport(id);
            if (!APPLICATION_TYPE.equals(report.getApplicationType())) {
                throw new IOException("%s is not a Spindle job (application type %s)".formatted(id, report.getApplicationType()));
            }
            FileSystem fs = FileSystem.get(conf);
            Path stagingRoot = config.stagingDir().map(Path::new)
                    .orElseGet(() -> new Path(fs.getHomeDirectory(), ".spindle/staging"));
            Path stagingDir = fs.makeQualified(new Path(stagingRoot, id.toString()));
            Optional<JobSpec> spec = Optional.empty();
            Path specFile = new Path(stagingDir, LaunchContexts.JOB_SPEC);
            try (java.io.InputStream in = fs.open(specFile)) {
                spec = Optional.of(Protocol.newMapper().readValue(in, JobSpec.class));
            } catch (java.io.FileNotFoundException e) {
                // the job ended and removed its staging: follow it without a spec
            }
            return new JobHandle(yarn, id, null, spec, conf, stagingDir, config, report.getStartTime());
        } catch (YarnException e) {
            yarn.stop();
            throw new IOException("Cannot follow %s: %s".formatted(id, e.getMessage()), e);
        } catch (IOException | RuntimeException e) {
            yarn.stop();
            throw e;
        }
    }

    private void stage(FileSystem fs, Path stagingRoot, Path stagingDir, JobSpec spec) throws IOException {
        // the staging root's parents first, with the default permissions: HDFS gives missing
        // parents the permission asked for the last directory, and a 0700 /user would lock
        // other users out of their homes
        if (stagingRoot.getParent() != null) {
            fs.mkdirs(stagingRoot.getParent());
        }
        fs.mkdirs(stagingDir, new FsPermission((short) 0700));
        Optional<File> jar = jobJar(spec);
        if (jar.isEmpty() && config.containerClasspath().isEmpty()) {
            throw new IOException("Cannot find the jar holding %s to ship to the containers; set %s".formatted(spec.taskClass(), YarnAppConfig.JOB_JAR));
        }
        // before the conf is written: the containers find the cached jar's path in it
        conf.unset(YarnAppConfig.STAGED_JAR);
        Optional<Path> cached = jar.isPresent() && config.jarCache() ? JarCache.stage(fs, stagingRoot, jar.get()) : Optional.empty();
        cached.ifPresent(path -> conf.set(YarnAppConfig.STAGED_JAR, path.toString()));
        try (OutputStream out = fs.create(new Path(stagingDir, LaunchContexts.JOB_CONF))) {
            conf.writeXml(out);
        }
        ObjectMapper json = Protocol.newMapper();
        try (OutputStream out = fs.create(new Path(stagingDir, LaunchContexts.JOB_SPEC))) {
            out.write(json.writeValueAsBytes(spec));
        }
        if (jar.isPresent() && cached.isEmpty()) {
            fs.copyFromLocalFile(false, true, new Path(jar.get().getAbsolutePath()), new Path(stagingDir, LaunchContexts.JOB_JAR));
        }
    }

    /** The configured job jar, else the jar the task class was loaded from, if it came from a jar. */
    private Optional<File> jobJar(JobSpec spec) throws IOException {
        if (config.jobJar().isPresent()) {
            File jar = new File(config.jobJar().get());
            if (!jar.isFile()) {
                throw new IOException("Job jar does not exist (%s): %s".formatted(YarnAppConfig.JOB_JAR, jar));
            }
            return Optional.of(jar);
        }
        try {
            Class<?> task = Class.forName(spec.taskClass());
            CodeSource source = task.getProtectionDomain().getCodeSource();
            if (source != null) {
                File location = new File(source.getLocation().toURI());
                if (location.isFile() && location.getName().endsWith(".jar")) {
                    return Optional.of(location);
                }
            }
            // Under `yarn jar` (Hadoop's RunJar) classes may load from the jar's unpacked copy
            // first; the jar itself is on the same class path: find it as MapReduce's setJarByClass does.
            String containing = ClassUtil.findContainingJar(task);
            if (containing != null) {
                return Optional.of(new File(containing));
            }
        } catch (ClassNotFoundException e) {
            throw new IOException("Block task class not found: " + spec.taskClass(), e);
        } catch (URISyntaxException e) {
            throw new IOException("Cannot locate the jar of " + spec.taskClass(), e);
        }
        return Optional.empty();
    }

    /**
     * The tokens this client already holds, for the AM: those of {@code HADOOP_TOKEN_FILE_LOCATION}
     * (Oozie's launcher, a scheduler that obtained them) as Hadoop's login read them, so that a
     * client without a Kerberos ticket submits with them, and no file system is asked for a token
     * it already has one for. Never an ApplicationMaster token of the JVM this client runs in
     * (an Oozie launcher is itself a YARN application): the job's AM gets its own from the RM.
     */
    static Credentials inheritedTokens() throws IOException {
        Credentials credentials = new Credentials(org.apache.hadoop.security.UserGroupInformation.getCurrentUser().getCredentials());
        List<org.apache.hadoop.io.Text> launcherTokens = new java.util.ArrayList<>();
        credentials.getTokenMap().forEach((alias, token) -> {
            if (org.apache.hadoop.yarn.security.AMRMTokenIdentifier.KIND_NAME.equals(token.getKind())) {
                launcherTokens.add(alias);
            }
        });
        launcherTokens.forEach(credentials::removeToken);
        return credentials;
    }

    private void addDelegationTokens(JobSpec spec, Credentials credentials) throws IOException {
        String renewer = conf.get(YarnConfiguration.RM_PRINCIPAL, "yarn");
        Set<FileSystem> fileSystems = new LinkedHashSet<>();
        fileSystems.add(FileSystem.get(conf));
        // locations a FileStoreProvider serves (s3://) have no Hadoop file system and no tokens
        if (FileStores.isHadoopLocation(spec.output())) {
            fileSystems.add(new Path(spec.output()).getFileSystem(conf));
        }
        for (String input : spec.inputs()) {
            if (FileStores.isHadoopLocation(input)) {
                fileSystems.add(new Path(input).getFileSystem(conf));
            }
        }
        for (FileSystem fs : fileSystems) {
            fs.addDelegationTokens(renewer, credentials);
        }
    }
}
