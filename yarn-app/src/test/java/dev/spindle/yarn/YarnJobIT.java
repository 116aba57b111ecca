package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.commit.Manifest;
import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.File;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The YARN machinery on MiniDFSCluster + MiniYARNCluster with test tasks from this module. */
class YarnJobIT {

    private static EmbeddedCluster cluster;
    private static Configuration conf;
    private static FileSystem fs;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = EmbeddedCluster.builder(new File("target/yarn-job-it"))
                .hdfsBlockSize(64 * 1024)
                .containerClasspath(System.getProperty("java.class.path"))
                .build();
        conf = cluster.configuration();
        // these jobs are small, and they test worker containers: kills, stalls, speculation
        conf.setBoolean(YarnAppConfig.UBER, false);
        fs = FileSystem.get(conf);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void blocksRunInWorkerContainersAndCommitExactlyOnce() throws Exception {
        byte[] first = TestFiles.randomBytes(1, 300_000);
        byte[] second = TestFiles.randomBytes(2, 70_000);
        TestFiles.write(fs, "/in/copy/a.bin", first);
        TestFiles.write(fs, "/in/copy/b.bin", second);
        JobSpec spec = JobSpec.builder("copy", ByteCopyTask.class)
                .input(fs.makeQualified(new Path("/in/copy")).toString())
                .task(CopySpec.plain())
                .output(fs.makeQualified(new Path("/out/copy")).toString())
                .task(CopySpec.plain())
                .containers(2)
                .build();

        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            JobResult result = handle.result().get(180, TimeUnit.SECONDS);
            assertEquals(JobState.SUCCEEDED, result.state(), result.message());
            List<CompletableFuture<BlockResult>> blocks = handle.blocks().get();
            assertEquals(7, blocks.size(), "300,000 bytes in 64 KiB blocks is 5 blocks, 70,000 bytes is 2");
            for (CompletableFuture<BlockResult> block : blocks) {
                assertTrue(block.isDone());
            }

            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(handle.applicationId(), manifest.applicationId());
            assertEquals(first.length + second.length, manifest.counters().rowsRead());
            assertEquals(manifest.counters().rowsRead(), manifest.counters().rowsWritten()
                    + manifest.counters().rowsFiltered() + manifest.counters().rowsRejected());
            assertEquals(7, manifest.counters().blocks());
            assertEquals(7, manifest.parts().size());
            // one host holds every DataNode and NodeManager of the embedded cluster: every block ran where its data is
            assertEquals(7, manifest.counters().blocksNodeLocal(), manifest.counters().toString());

            byte[] joined = TestFiles.joinedParts(fs, "/out/copy", manifest);
            byte[] expected = new byte[first.length + second.length];
            System.arraycopy(first, 0, expected, 0, first.length);
            System.arraycopy(second, 0, expected, first.length, second.length);
            assertArrayEquals(expected, joined);
            assertTrue(fs.exists(new Path("/out/copy/_SUCCESS")));
            assertTrue(fs.exists(new Path("/out/copy/_schema.avsc")));
            String page = new String(TestFiles.read(fs, "/out/copy/" + TrackingPageHandler.FINAL_PAGE), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(page.contains("<span id=\"state\" class=\"state state-SUCCEEDED\">SUCCEEDED</span>"), page);
            assertFalse(fs.exists(new Path("/out/copy/_temporary")), "staging must be gone");
        }
    }

    @Test
    void aJobWhoseWorkerAlwaysFailsLeavesNothingAndSaysWhy() throws Exception {
        TestFiles.write(fs, "/in/fail/a.bin", TestFiles.randomBytes(3, 100_000));
        JobSpec spec = JobSpec.builder("fail", AlwaysFailingTask.class)
                .input(fs.makeQualified(new Path("/in/fail")).toString())
                .task(CopySpec.plain())
                .output(fs.makeQualified(new Path("/out/fail")).toString())
                .task(CopySpec.plain())
                .maxAttempts(2)
                .build();

        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            JobResult result = handle.result().get(180, TimeUnit.SECONDS);
            assertEquals(JobState.FAILED, result.state());
            // one line naming the block's file and byte range, the attempts and the last error
            String file = fs.makeQualified(new Path("/in/fail/a.bin")).toString();
            assertTrue(result.message().matches("Block [01] \\(" + java.util.regex.Pattern.quote(file)
                    + " bytes (0-65536|65536-100000)\\) failed 2 of 2 attempts; last error: IllegalStateException: "
                    + AlwaysFailingTask.MESSAGE + " in block [01]; in the log of container_[0-9_e]+"), result.message());
            assertFalse(fs.exists(new Path("/out/fail/_SUCCESS")));
            assertFalse(fs.exists(new Path("/out/fail")) && fs.listStatus(new Path("/out/fail")).length > 0,
                    "a failed job must leave nothing in its output dir");
        }
    }

    @Test
    void aKilledJobEndsKilledAndLeavesNoPartAndNoStaging() throws Exception {
        TestFiles.write(fs, "/in/kill/a.bin", TestFiles.randomBytes(4, 12 * 64 * 1024));
        JobSpec spec = JobSpec.builder("kill", SlowCopyTask.class)
                .input(fs.makeQualified(new Path("/in/kill")).toString())
                .task(CopySpec.plain())
                .output(fs.makeQualified(new Path("/out/kill")).toString())
                .task(CopySpec.plain())
                .build();

        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (handle.lastStatus().map(JobStatus::blocksDone).orElse(0L) < 1) {
                assertTrue(System.currentTimeMillis() < deadline, "no block finished within 120 s");
                Thread.sleep(100);
            }
            assertTrue(fs.exists(new Path("/out/kill/_temporary/" + handle.applicationId())), "attempts write under staging");
            assertTheSecretIsOnlyInTheCredentials(handle);
            handle.kill();
            JobResult result = handle.result().get(120, TimeUnit.SECONDS);

            assertEquals(JobState.KILLED, result.state(), result.message());
            assertFalse(fs.exists(new Path("/out/kill/_SUCCESS")));
            assertFalse(fs.exists(new Path("/out/kill/_temporary/" + handle.applicationId())), "staging must be gone");
            if (fs.exists(new Path("/out/kill"))) {
                for (org.apache.hadoop.fs.FileStatus file : fs.listStatus(new Path("/out/kill"))) {
                    assertTrue(file.getPath().getName().startsWith("_"), "nothing visible after a kill: " + file.getPath());
                }
            }
        }
    }

    @Test
    void aWorkerThatMakesNoProgressIsGivenUpAndTheJobFailsInBoundedTimeSayingWhatStalled() throws Exception {
        TestFiles.write(fs, "/in/stall/a.bin", TestFiles.randomBytes(5, 1_000));
        JobSpec spec = JobSpec.builder("stall", StallingTask.class)
                .input(fs.makeQualified(new Path("/in/stall")).toString())
                .output(fs.makeQualified(new Path("/out/stall")).toString())
                .task(CopySpec.plain())
                .maxAttempts(2)
                .build();
        Configuration stallConf = new Configuration(conf);
        stallConf.setLong(YarnAppConfig.WORKER_HEARTBEAT_MS, 500);
        stallConf.setLong(YarnAppConfig.WORKER_STALL_TIMEOUT_MS, 4_000);

        long started = System.nanoTime();
        try (JobHandle handle = new JobClient(stallConf).submit(spec)) {
            JobResult result = handle.result().get(120, TimeUnit.SECONDS);
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            assertEquals(JobState.FAILED, result.state(), result.message());
            assertTrue(result.message().startsWith("Block 0 (" + fs.makeQualified(new Path("/in/stall/a.bin"))
                    + " bytes 0-1000) failed 2 of 2 attempts; last error: block 0 attempt 2 made no progress for "), result.message());
            assertTrue(result.message().contains("(spindle.yarn.worker.stall-timeout-ms)"), result.message());
            assertFalse(fs.exists(new Path("/out/stall/_SUCCESS")));
            System.out.printf("stalled job failed after %d s: %s%n", seconds, result.message());
        }
    }

    @Test
    void workersSigkilledMidBlockTwiceInARowAreReplacedAndTheManifestCountsTheReRuns() throws Exception {
        byte[] input = TestFiles.randomBytes(6, 16 * 64 * 1024);
        TestFiles.write(fs, "/in/worker-kill/a.bin", input);
        JobSpec spec = JobSpec.builder("worker-kill", SlowCopyTask.class)
                .input(fs.makeQualified(new Path("/in/worker-kill")).toString())
                .output(fs.makeQualified(new Path("/out/worker-kill")).toString())
                .task(CopySpec.plain())
                .containers(2)
                .build();

        Configuration killConf = new Configuration(conf);
        // the embedded nodes must not be excluded for the kills this test makes on purpose
        killConf.setInt(YarnAppConfig.NODE_MAX_FAILURES, 10);
        try (JobHandle handle = new JobClient(killConf).submit(spec)) {
            List<String> killed = new java.util.ArrayList<>();
            java.util.Set<Integer> killedBlocks = new java.util.TreeSet<>();
            // A kill can miss: the status read may be a poll old, and the block may finish between the
            // read and the SIGKILL. A missed kill is retried on another worker; two must hit a block.
            for (int tries = 0; killedBlocks.size() < 2; tries++) {
                assertTrue(tries < 6, "six kills and fewer than two hit a running block: " + killedBlocks);
                BlockStatus running = awaitFreshlyStartedBlock(handle, killed);
                killContainerJvm(running.worker());
                killed.add(running.worker());
                long deadline = System.currentTimeMillis() + 60_000;
                while (true) {
                    assertTrue(System.currentTimeMillis() < deadline, "block " + running.block() + " neither re-ran nor finished");
                    BlockStatus now = handle.lastStatus().orElseThrow().blocks().get(running.block());
                    if (now.attempts() > running.attempts()) {
                        killedBlocks.add(running.block());
                        break;
                    }
                    if (now.state() == BlockStatus.State.SUCCEEDED) {
                        System.out.printf("the kill of %s came after block %d finished; killing another%n", running.worker(), running.block());
                        break;
                    }
                    Thread.sleep(100);
                }
            }
            JobResult result = handle.result().get(180, TimeUnit.SECONDS);

            assertEquals(JobState.SUCCEEDED, result.state(), result.message());
            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(16, manifest.counters().blocks());
            assertEquals(16, manifest.parts().size(), "exactly one attempt per block is committed");
            // what the AM saw block by block: a kill that missed its block may still have hit the worker's next one
            List<BlockStatus> finalBlocks = handle.lastStatus().orElseThrow().blocks();
            long rerun = finalBlocks.stream().filter(block -> block.attempts() > 1).count();
            int attempts = finalBlocks.stream().mapToInt(BlockStatus::attempts).sum();
            for (int block : killedBlocks) {
                assertTrue(finalBlocks.get(block).attempts() > 1, "killed block " + block + " was re-run");
            }
            assertEquals(rerun, manifest.counters().blocksRerun(), "killed " + killedBlocks + ": " + manifest.counters());
            assertEquals(attempts, manifest.counters().attempts(), "each kill cost the attempts its JVM ran: " + manifest.counters());
            // a worker runs up to its vcores' blocks at once: a kill ends every one of them
            int slots = YarnAppConfig.WORKER_VCORES_DEFAULT;
            assertTrue(attempts >= 16 + 2 && attempts <= 16 + slots * killed.size(),
                    "attempts " + attempts + " after " + killed.size() + " kills of workers running up to " + slots + " blocks");
            byte[] joined = TestFiles.joinedParts(fs, "/out/worker-kill", manifest);
            assertArrayEquals(input, joined, "the output equals the input, as an undisturbed run's does");
            assertFalse(fs.exists(new Path("/out/worker-kill/_temporary")));
            System.out.printf("killed %s running blocks %s: %s%n", killed, killedBlocks, manifest.counters());
        }
    }

    @Test
    void anAmSigkilledBetweenTheMovesOfItsCommitIsFollowedByASecondAttemptThatFinishesTheCommit() throws Exception {
        byte[] input = TestFiles.randomBytes(8, 6 * 64 * 1024);
        TestFiles.write(fs, "/in/commit-kill/a.bin", input);
        JobSpec spec = JobSpec.builder("commit-kill", ByteCopyTask.class)
                .input(fs.makeQualified(new Path("/in/commit-kill")).toString())
                .output(fs.makeQualified(new Path("/out/commit-kill")).toString())
                .task(CopySpec.plain())
                .containers(2)
                .build();
        Configuration pausing = new Configuration(conf);
        pausing.setLong(YarnAppConfig.TEST_COMMIT_PAUSE_MS, 1_500);
        pausing.setBoolean(YarnAppConfig.UBER, false);
        org.apache.hadoop.yarn.client.api.YarnClient yarn = org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient();
        yarn.init(conf);
        yarn.start();
        try (JobHandle handle = new JobClient(pausing).submit(spec)) {
            // the commit has moved its first part into the output, and sleeps before the next move
            Path output = new Path("/out/commit-kill");
            long deadline = System.currentTimeMillis() + 180_000;
            while (!fs.exists(output) || java.util.Arrays.stream(fs.listStatus(output)).noneMatch(f -> f.getPath().getName().startsWith("part-"))) {
                assertTrue(System.currentTimeMillis() < deadline, "the commit moved no part within 180 s");
                Thread.sleep(20);
            }
            assertFalse(fs.exists(new Path(output, "_SUCCESS")), "killed half-way: no manifest yet");
            org.apache.hadoop.yarn.api.records.ApplicationId id =
                    org.apache.hadoop.yarn.api.records.ApplicationId.fromString(handle.applicationId());
            org.apache.hadoop.yarn.api.records.ApplicationAttemptId first = yarn.getApplicationReport(id).getCurrentApplicationAttemptId();
            killContainerJvm(yarn.getApplicationAttemptReport(first).getAMContainerId().toString());
            long moved = java.util.Arrays.stream(fs.listStatus(output)).filter(f -> f.getPath().getName().startsWith("part-")).count();

            JobResult result = handle.result().get(240, TimeUnit.SECONDS);

            assertEquals(JobState.SUCCEEDED, result.state(), result.message());
            assertEquals(2, yarn.getApplicationReport(id).getCurrentApplicationAttemptId().getAttemptId(), "YARN ran a second attempt");
            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(6, manifest.parts().size(), manifest.parts().toString());
            // every block was done before the commit; the last one's recovery record is saved while the
            // commit starts, so a kill this early may find it unsaved and attempt 2 runs that block again
            // (the commit plan still promotes the first attempt's part: the same bytes)
            assertTrue(manifest.counters().blocksRecovered() >= 1, "attempt 2 recovered the blocks: " + manifest.counters());
            byte[] joined = TestFiles.joinedParts(fs, "/out/commit-kill", manifest);
            assertArrayEquals(input, joined, "the output equals the input: no part lost, none twice");
            assertFalse(fs.exists(new Path(output, "_temporary")));
            assertFalse(fs.exists(new Path(output, "_spindle-commit.lock")));
            long files = java.util.Arrays.stream(fs.listStatus(output)).filter(f -> f.getPath().getName().startsWith("part-")).count();
            assertEquals(6, files, "no part beside the manifest's");
            System.out.printf("AM killed after moving %d of 6 parts; attempt 2 committed: %s%n", moved, manifest.counters());
        } finally {
            yarn.stop();
        }
    }

    @Test
    void anAmWhoseContainerEndsUnderItKeepsItsHandsOffTheNextAttemptsJob() throws Exception {
        byte[] input = TestFiles.randomBytes(9, 16 * 64 * 1024);
        TestFiles.write(fs, "/in/orphan/a.bin", input);
        JobSpec spec = JobSpec.builder("orphan", SlowCopyTask.class)
                .input(fs.makeQualified(new Path("/in/orphan")).toString())
                .output(fs.makeQualified(new Path("/out/orphan")).toString())
                .task(CopySpec.plain())
                .containers(2)
                .build();
        org.apache.hadoop.yarn.client.api.YarnClient yarn = org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient();
        yarn.init(conf);
        yarn.start();
        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (handle.lastStatus().map(JobStatus::blocksDone).orElse(0L) < 3) {
                assertTrue(System.currentTimeMillis() < deadline, "3 blocks did not finish within 120 s");
                Thread.sleep(50);
            }
            org.apache.hadoop.yarn.api.records.ApplicationId id =
                    org.apache.hadoop.yarn.api.records.ApplicationId.fromString(handle.applicationId());
            org.apache.hadoop.yarn.api.records.ApplicationAttemptId first = yarn.getApplicationReport(id).getCurrentApplicationAttemptId();
            // the NodeManager's wrapper of the AM's container dies, the AM's JVM lives on: YARN takes the
            // container for ended and starts attempt 2, and tells the first AM, still running, to shut down
            killContainerWrapper(yarn.getApplicationAttemptReport(first).getAMContainerId().toString());

            JobResult result = handle.result().get(240, TimeUnit.SECONDS);

            assertEquals(JobState.SUCCEEDED, result.state(), result.message());
            assertEquals(2, yarn.getApplicationReport(id).getCurrentApplicationAttemptId().getAttemptId(), "YARN ran a second attempt");
            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(16, manifest.parts().size());
            byte[] joined = TestFiles.joinedParts(fs, "/out/orphan", manifest);
            assertArrayEquals(input, joined, "the output equals the input");
            assertFalse(fs.exists(new Path("/out/orphan/_temporary")));
            System.out.printf("AM wrapper killed; attempt 2 committed: %s%n", manifest.counters());
        } finally {
            yarn.stop();
        }
    }

    @Test
    void anAmSigkilledMidJobIsFollowedByASecondAttemptThatRecoversTheWrittenBlocks() throws Exception {
        byte[] input = TestFiles.randomBytes(7, 20 * 64 * 1024);
        TestFiles.write(fs, "/in/am-kill/a.bin", input);
        JobSpec spec = JobSpec.builder("am-kill", SlowCopyTask.class)
                .input(fs.makeQualified(new Path("/in/am-kill")).toString())
                .output(fs.makeQualified(new Path("/out/am-kill")).toString())
                .task(CopySpec.plain())
                .containers(2)
                .build();
        org.apache.hadoop.yarn.client.api.YarnClient yarn = org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient();
        yarn.init(conf);
        yarn.start();
        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (handle.lastStatus().map(JobStatus::blocksDone).orElse(0L) < 4) {
                assertTrue(System.currentTimeMillis() < deadline, "4 blocks did not finish within 120 s");
                Thread.sleep(50);
            }
            long doneBeforeKill = handle.lastStatus().orElseThrow().blocksDone();
            org.apache.hadoop.yarn.api.records.ApplicationId id =
                    org.apache.hadoop.yarn.api.records.ApplicationId.fromString(handle.applicationId());
            org.apache.hadoop.yarn.api.records.ApplicationAttemptId first = yarn.getApplicationReport(id).getCurrentApplicationAttemptId();
            killContainerJvm(yarn.getApplicationAttemptReport(first).getAMContainerId().toString());
            long killed = System.nanoTime();

            JobResult result = handle.result().get(240, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - killed) / 1e9;
            assertEquals(JobState.SUCCEEDED, result.state(), result.message());
            assertEquals(2, yarn.getApplicationReport(id).getCurrentApplicationAttemptId().getAttemptId(), "YARN ran a second attempt");
            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(20, manifest.counters().blocks());
            assertEquals(20, manifest.parts().size());
            // the AM accepts a block, then saves its result for recovery: a kill between the two can
            // cost each of the 2 workers' last block its record, and that block runs again
            assertTrue(manifest.counters().blocksRecovered() >= doneBeforeKill - 2 && manifest.counters().blocksRecovered() > 0,
                    "blocks done before the kill are recovered: " + doneBeforeKill + ", " + manifest.counters());
            assertTrue(manifest.counters().blocksRecovered() < 20, manifest.counters().toString());
            byte[] joined = TestFiles.joinedParts(fs, "/out/am-kill", manifest);
            assertArrayEquals(input, joined);
            assertFalse(fs.exists(new Path("/out/am-kill/_temporary")), "staging is removed when the application ends");
            System.out.printf("AM killed after %d blocks; attempt 2 finished %.1f s later: %s%n", doneBeforeKill, seconds, manifest.counters());
        } finally {
            yarn.stop();
        }
    }

    @Test
    void aStragglingBlockGetsASpeculativeAttemptThatWinsAndExactlyOneAttemptPerBlockIsCommitted() throws Exception {
        byte[] input = TestFiles.randomBytes(8, 6 * 64 * 1024);
        TestFiles.write(fs, "/in/straggler/a.bin", input);
        JobSpec spec = JobSpec.builder("straggler", ByteCopyTask.class)
                .input(fs.makeQualified(new Path("/in/straggler")).toString())
                .output(fs.makeQualified(new Path("/out/straggler")).toString())
                .task(CopySpec.plain())
                .containers(2)
                .build();
        Configuration slow = new Configuration(conf);
        // test hook: the first attempt of block 0 sleeps two minutes before it copies
        slow.setInt(YarnAppConfig.TEST_SLOW_BLOCK, 0);
        slow.setLong(YarnAppConfig.TEST_SLOW_BLOCK_MS, 120_000);
        slow.setLong(YarnAppConfig.SPECULATION_MIN_RUNTIME_MS, 2_000);

        long started = System.nanoTime();
        try (JobHandle handle = new JobClient(slow).submit(spec)) {
            JobResult result = handle.result().get(100, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(JobState.SUCCEEDED, result.state(), result.message());
            assertTrue(seconds < 100, "the job did not wait for the two-minute straggler: " + seconds + " s");
            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(6, manifest.counters().blocks());
            assertEquals(6, manifest.parts().size(), "exactly one attempt per block is committed");
            assertEquals(1, manifest.counters().speculativeAttempts(), manifest.counters().toString());
            assertEquals(7, manifest.counters().attempts(), manifest.counters().toString());
            assertEquals(0, manifest.counters().blocksRerun(), "a speculative attempt is not a re-run: " + manifest.counters());
            assertEquals(2, handle.blocks().get().get(0).get().attempt(), "the speculative attempt of block 0 won");
            byte[] joined = TestFiles.joinedParts(fs, "/out/straggler", manifest);
            assertArrayEquals(input, joined, "the output equals the input");
            assertFalse(fs.exists(new Path("/out/straggler/_temporary")), "the loser's attempt directory is gone with staging");
            System.out.printf("straggler job finished in %.1f s: %s%n", seconds, manifest.counters());
        }
    }

    /**
     * While the job runs: its secret (raw, base64 or hex) is in no process's command line, in
     * no environment of its container JVMs, in none of the NodeManagers' launch scripts of its
     * containers, and not in its staged conf and spec. The containers' token files hold it, as
     * YARN credentials must.
     */
    private static void assertTheSecretIsOnlyInTheCredentials(JobHandle handle) throws Exception {
        byte[] secret = handle.secret().orElseThrow();
        List<byte[]> forms = List.of(secret, java.util.Base64.getEncoder().encode(secret),
                java.util.HexFormat.of().formatHex(secret).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String app = handle.applicationId();
        String containerPrefix = "container_" + app.substring("application_".length());

        Process ps = new ProcessBuilder("ps", "-eo", "pid=,args=").redirectErrorStream(true).start();
        byte[] processes = ps.getInputStream().readAllBytes();
        assertEquals(0, ps.waitFor());
        List<Long> containerJvms = new java.util.ArrayList<>();
        for (String line : new String(processes, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("-D" + LaunchContexts.CONTAINER_ID_PROPERTY + "=" + containerPrefix) && line.strip().split("\\s+", 3)[1].endsWith("/bin/java")) {
                containerJvms.add(Long.parseLong(line.strip().split("\\s+", 2)[0]));
            }
        }
        assertTrue(containerJvms.size() >= 2, "the AM and a worker run: " + containerJvms);
        assertNoSecret(forms, processes, "ps -eo args");
        for (long pid : containerJvms) {
            assertNoSecret(forms, java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + pid + "/environ")), "environment of " + pid);
        }

        List<java.nio.file.Path> scripts;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(new File("target").toPath())) {
            scripts = files.filter(file -> file.toString().contains(containerPrefix) && file.getFileName().toString().endsWith(".sh")).toList();
        }
        assertTrue(scripts.stream().anyMatch(file -> file.getFileName().toString().equals("launch_container.sh")), "launch scripts found: " + scripts);
        for (java.nio.file.Path script : scripts) {
            assertNoSecret(forms, java.nio.file.Files.readAllBytes(script), script.toString());
        }
        // the search finds it where it belongs: the containers' token files (YARN credentials)
        List<java.nio.file.Path> tokenFiles;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(new File("target").toPath())) {
            tokenFiles = files.filter(file -> file.toString().contains(containerPrefix) && file.getFileName().toString().endsWith(".tokens")
                    || file.getFileName().toString().equals("container_tokens") && file.toString().contains(containerPrefix)).toList();
        }
        assertTrue(!tokenFiles.isEmpty(), "token files of " + app);
        AssertionError found = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertNoSecret(forms, java.nio.file.Files.readAllBytes(tokenFiles.get(0)), tokenFiles.get(0).toString()));
        assertTrue(found.getMessage().startsWith("the job secret appears in "), found.getMessage());
        Path staging = fs.makeQualified(new Path(fs.getHomeDirectory(), ".spindle/staging/" + app));
        for (String staged : List.of(LaunchContexts.JOB_CONF, LaunchContexts.JOB_SPEC)) {
            try (InputStream in = fs.open(new Path(staging, staged))) {
                assertNoSecret(forms, in.readAllBytes(), staged);
            }
        }
    }

    private static void assertNoSecret(List<byte[]> forms, byte[] haystack, String where) {
        for (byte[] form : forms) {
            for (int i = 0; i + form.length <= haystack.length; i++) {
                if (java.util.Arrays.equals(haystack, i, i + form.length, form, 0, form.length)) {
                    throw new AssertionError("the job secret appears in " + where + " at byte " + i);
                }
            }
        }
    }

    /** Waits for a block running on a worker not killed yet, after at least one block finished. */
    /**
     * A block seen RUNNING on a live worker in this poll that was not running in the previous one,
     * so that most of its run is still ahead when the kill lands.
     */
    private static BlockStatus awaitFreshlyStartedBlock(JobHandle handle, List<String> killed) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        java.util.Set<String> seenRunning = new java.util.HashSet<>();
        boolean first = true;
        while (true) {
            assertTrue(System.currentTimeMillis() < deadline, "no block started on a live worker within 120 s");
            Optional<JobStatus> status = handle.lastStatus();
            if (status.isPresent()) {
                java.util.Set<String> running = new java.util.HashSet<>();
                for (BlockStatus block : status.get().blocks()) {
                    if (block.state() == BlockStatus.State.RUNNING && block.worker() != null) {
                        String key = block.block() + "/" + block.attempts();
                        running.add(key);
                        if (!first && !seenRunning.contains(key) && !killed.contains(block.worker())) {
                            return block;
                        }
                    }
                }
                seenRunning = running;
                first = false;
            }
            Thread.sleep(20);
        }
    }

    /** SIGKILLs the JVM of a container, found by the container id on its command line. */
    static void killContainerJvm(String containerId) throws Exception {
        Process ps = new ProcessBuilder("ps", "-eo", "pid=,args=").redirectErrorStream(true).start();
        String marker = "-D" + LaunchContexts.CONTAINER_ID_PROPERTY + "=" + containerId + " ";
        List<Long> pids = new java.util.ArrayList<>();
        try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(ps.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] fields = line.strip().split("\\s+", 3);
                // the JVM itself, not a shell wrapper whose command line holds the same text
                if (fields.length == 3 && fields[1].endsWith("/bin/java") && line.contains(marker)) {
                    pids.add(Long.parseLong(fields[0]));
                }
            }
        }
        ps.waitFor();
        assertEquals(1, pids.size(), "one JVM of " + containerId + ": " + pids);
        assertEquals(0, new ProcessBuilder("kill", "-KILL", String.valueOf(pids.get(0))).start().waitFor());
    }

    /** SIGKILLs the NodeManager's bash wrapper of a container (the parent of its JVM), not the JVM. */
    static void killContainerWrapper(String containerId) throws Exception {
        String marker = "-D" + LaunchContexts.CONTAINER_ID_PROPERTY + "=" + containerId + " ";
        List<ProcessHandle> jvms = ProcessHandle.allProcesses()
                .filter(process -> process.info().command().orElse("").endsWith("/bin/java")
                        && process.info().commandLine().orElse("").contains(marker))
                .toList();
        assertEquals(1, jvms.size(), "one JVM of " + containerId);
        ProcessHandle wrapper = jvms.get(0).parent().orElseThrow(() -> new AssertionError("the JVM of " + containerId + " has no parent"));
        assertTrue(wrapper.info().command().orElse("").endsWith("bash"), "the parent is the launch script's shell: " + wrapper.info());
        assertEquals(0, new ProcessBuilder("kill", "-KILL", String.valueOf(wrapper.pid())).start().waitFor());
    }



}
