package dev.spindle.yarn;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker container: asks the AM for blocks until told to exit, runs each attempt with the
 * job's {@link BlockTask}, and reports what happened. One JVM serves many blocks.
 */
public final class WorkerMain {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);
    /** How long a worker keeps trying to reach an AM that does not answer. */
    private static final long AM_UNREACHABLE_MILLIS = 60_000;

    private WorkerMain() {}

    /** Argument: the AM endpoint's address. */
    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = run(URI.create(args[0]));
        } catch (Throwable e) {
            LOG.error("Worker failed", e);
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    private static int run(URI endpoint) throws Exception {
        Configuration conf = new YarnConfiguration();
        conf.addResource(new File(LaunchContexts.JOB_CONF).toURI().toURL());
        ObjectMapper json = Protocol.newMapper();
        JobSpec spec = json.readValue(new File(LaunchContexts.JOB_SPEC), JobSpec.class);
        String worker = Optional.ofNullable(System.getenv(Environment.CONTAINER_ID.name())).orElse("worker");
        String host = Optional.ofNullable(System.getenv(Environment.NM_HOST.name())).orElse("localhost");
        AmClient am = new AmClient(endpoint, JobSecret.fromCurrentUser(), json);
        BlockTasks.Typed<?> task = BlockTasks.instantiate(spec);
        FileStore store = FileStores.hadoop(conf);
        JobPreparation preparation = null;
        long unreachableSince = -1;

        while (true) {
            Protocol.WorkResponse work;
            try {
                work = am.next(new Protocol.WorkRequest(worker, host));
                unreachableSince = -1;
            } catch (IOException e) {
                long now = System.currentTimeMillis();
                unreachableSince = unreachableSince < 0 ? now : unreachableSince;
                if (now - unreachableSince > AM_UNREACHABLE_MILLIS) {
                    LOG.error("The AM at {} has not answered for {} ms; exiting", endpoint, now - unreachableSince, e);
                    return 1;
                }
                Thread.sleep(500);
                continue;
            }
            switch (work.action()) {
                case EXIT -> {
                    return 0;
                }
                case WAIT -> Thread.sleep(Math.max(10, work.waitMillis()));
                case RUN -> {
                    if (preparation == null) {
                        preparation = am.preparation();
                    }
                    am.report(runAttempt(task, conf, store, spec, preparation, work, worker, host));
                }
            }
        }
    }

    private static <S extends TaskSpec> Protocol.AttemptReport runAttempt(BlockTasks.Typed<S> task, Configuration conf, FileStore store,
            JobSpec spec, JobPreparation preparation, Protocol.WorkResponse work, String worker, String host) {
        TaskContext<S> context = task.context(conf, store, spec, preparation, work.block(), work.attempt(), work.attemptDirectory(),
                work.partFileName(), work.knownRecordStarts());
        int block = context.block().index();
        LOG.info("Block {} attempt {}: {}", block, context.attempt(), context.block().ranges());
        try {
            BlockOutcome outcome = task.run(context);
            return new Protocol.AttemptReport(worker, host, block, context.attempt(), outcome, null, false);
        } catch (BadInputException e) {
            LOG.error("Block {} attempt {} found bad input: {}", block, context.attempt(), e.getMessage());
            return new Protocol.AttemptReport(worker, host, block, context.attempt(), null, e.getMessage(), true);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            LOG.error("Block {} attempt {} failed", block, context.attempt(), e);
            return new Protocol.AttemptReport(worker, host, block, context.attempt(), null, ApplicationMaster.describe(e), false);
        }
    }
}
