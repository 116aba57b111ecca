package dev.spindle.io.commit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SupportsDirectories;
import dev.spindle.io.store.SupportsPendingUploads;
import dev.spindle.io.store.SupportsRename;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The commit protocol of one job: task attempts write part files under a staging directory, and
 * the job commit promotes exactly one attempt per block by atomic rename, then writes
 * {@code _schema.avsc} and, last, the {@code _SUCCESS} manifest. Readers see nothing of a job
 * until its {@code _SUCCESS} exists.
 *
 * <pre>
 * &lt;output&gt;/_temporary/&lt;jobId&gt;/block-00042/attempt-1/part-00042.avro   (staging)
 * &lt;output&gt;/part-00042.avro                                         (committed)
 * </pre>
 *
 * <p>An attempt of a partitioned job instead writes its parts in partition directories and lists
 * them in {@link AttemptPartitions#FILE}; they are promoted to the same relative paths:
 *
 * <pre>
 * &lt;staging&gt;/block-00042/attempt-1/city=Paris/part-00042.avro            (staging)
 * &lt;output&gt;/city=Paris/part-00042.avro                              (committed)
 * </pre>
 *
 * <p>Used by one thread (the ApplicationMaster's); not thread-safe. The store must support
 * atomic rename ({@link SupportsRename}) and real directories ({@link SupportsDirectories}).
 */
public final class PartCommitter {

    /** The directory under the output that holds every job's staging. */
    public static final String TEMPORARY = "_temporary";
    /** The manifest; written last. */
    public static final String SUCCESS = "_SUCCESS";
    /** The Avro schema of the parts. */
    public static final String SCHEMA = "_schema.avsc";
    /**
     * Directory of rejected-record files, in an attempt directory and in the output: every file a
     * winning attempt wrote there is committed into {@code <output>/_rejects/} with its parts.
     */
    public static final String REJECTS = "_rejects";
    /**
     * The output's commit lock, holding the committing job's id: created exclusively before the
     * output changes and deleted after {@code _SUCCESS}, so two jobs never commit into one output
     * at once. Left in place when the commit state is unknown.
     */
    public static final String COMMIT_LOCK = "_spindle-commit.lock";

    private final FileStore store;
    private final SupportsRename renames;
    private final SupportsDirectories directories;
    private final String output;
    private final String jobId;
    private final WriteMode writeMode;
    private final Clock clock;
    private final java.time.Duration lockWait;
    private final Runnable afterEachPromotion;

    // When this job (or this ApplicationMaster attempt) started: pending uploads under the output
    // started before it are earlier jobs' and are aborted at commit.
    private Instant startedAt;
    // Whether commitJob wrote _SUCCESS: only then may removeLeftovers delete a staging directory.
    private boolean committed;
    // What setupJob saw, so abortJob never deletes what existed before the job.
    private boolean setUp;
    private boolean outputExisted;
    private boolean temporaryExisted;
    private boolean commitStateUnknown;

    private PartCommitter(Builder builder) {
        this.store = builder.store;
        this.renames = (SupportsRename) builder.store;
        this.directories = (SupportsDirectories) builder.store;
        this.output = builder.output;
        this.jobId = builder.jobId;
        this.writeMode = builder.writeMode;
        this.clock = builder.clock;
        this.lockWait = builder.lockWait;
        this.afterEachPromotion = builder.afterEachPromotion;
    }

    /** How often a job waiting for another job's commit lock looks again. */
    private static final long LOCK_POLL_MS = 500;

    public static Builder builder() {
        return new Builder();
    }

    /** {@code part-00042.avro} for block 42 and extension {@code avro}. */
    public static String partFileName(int block, String extension) {
        if (block < 0) {
            throw new IllegalArgumentException("Block index is negative: " + block);
        }
        return "part-%05d.%s".formatted(block, extension);
    }

    public String outputDirectory() {
        return output;
    }

    /** {@code <output>/_temporary/<jobId>}. */
    public String stagingDirectory() {
        return output + "/" + TEMPORARY + "/" + jobId;
    }

    /** Where one task attempt writes its part file: {@code <staging>/block-00042/attempt-1}. */
    public String attemptDirectory(int block, int attempt) {
        if (block < 0 || attempt < 0) {
            throw new IllegalArgumentException("Block and attempt must not be negative: block %s, attempt %s"
                    .formatted(block, attempt));
        }
        return "%s/block-%05d/attempt-%d".formatted(stagingDirectory(), block, attempt);
    }

    /**
     * The name this job gives the part file of a block: {@link #partFileName(int, String)}, and in
     * every mode but {@link WriteMode#ERROR} with the job id in it
     * ({@code part-00042-1795225647249_0001.avro} for {@code application_1795225647249_0001}), so
     * the new parts never take the names of the old ones they replace or join, and the old output
     * stays whole until the new manifest is written.
     */
    public String jobPartFileName(int block, String extension) {
        return tagsPartNames() ? withJobTag(partFileName(block, extension)) : partFileName(block, extension);
    }

    /** The part file one task attempt writes: {@code attemptDirectory(block, attempt)/jobPartFileName(block, extension)}. */
    public String attemptPartFile(int block, int attempt, String extension) {
        return attemptDirectory(block, attempt) + "/" + jobPartFileName(block, extension);
    }

    /** {@code part-00042.avro} -> {@code part-00042-<job>.avro}, the job id without {@code application_}. */
    private String withJobTag(String name) {
        String tag = jobId.startsWith("application_") ? jobId.substring("application_".length()) : jobId;
        int dot = name.indexOf('.');
        return dot < 0 ? name + "-" + tag : name.substring(0, dot) + "-" + tag + name.substring(dot);
    }

    /**
     * Prepares the job before any attempt runs: applies the write mode, then creates the staging
     * directory (deleting this job's staging left by an earlier ApplicationMaster attempt).
     *
     * @throws OutputExistsException in {@link WriteMode#ERROR} when the output directory holds
     *     anything but {@code _temporary}
     */
    public void setupJob() throws IOException {
        startedAt = clock.instant();
        outputExisted = store.exists(output);
        temporaryExisted = store.exists(output + "/" + TEMPORARY);
        if (outputExisted && writeMode == WriteMode.ERROR) {
            List<String> content = existingContent();
            if (!content.isEmpty()) {
                throw new OutputExistsException(
                        "Output directory is not empty (holds %s); use --write-mode overwrite to replace it: %s"
                                .formatted(describe(content), output));
            }
        }
        store.delete(stagingDirectory());
        directories.createDirectories(stagingDirectory());
        setUp = true;
    }

    /**
     * Resumes a job an earlier ApplicationMaster attempt set up: keeps its staging directory and
     * every attempt in it. Since this attempt cannot know what existed before the job, a later
     * {@link #abortJob} deletes the staging directory only, never {@code _temporary} or the
     * output directory.
     *
     * @return whether there was staging to resume; if not, the job is set up afresh
     *     ({@link #setupJob}) and nothing is recovered
     */
    public boolean resumeJob() throws IOException {
        if (!store.exists(stagingDirectory())) {
            setupJob();
            return false;
        }
        startedAt = clock.instant();
        outputExisted = true;
        temporaryExisted = true;
        setUp = true;
        return true;
    }

    /**
     * Commits the job: promotes the part file of each block's winning attempt into the output
     * directory (a winner that wrote no part file, because every row was filtered, adds none),
     * writes {@code _schema.avsc}, then the manifest as {@code _SUCCESS} (atomically: written in
     * staging, then renamed), then deletes the staging directory.
     *
     * <p>In {@link WriteMode#OVERWRITE} the old output is deleted only after the new one is whole:
     * the new parts and rejects are promoted beside the old ones under names with the job id in
     * them ({@link #jobPartFileName}), then the old {@code _SUCCESS} and {@code _schema.avsc} are
     * replaced by the new ones (deleted, then the new ones renamed in from staging), and only then
     * is every other old file deleted. A reader keyed on {@code _SUCCESS} sees the old manifest and
     * all of its parts, briefly no manifest, or the new manifest and all of its parts: never a mix.
     * A job that fails before its commit leaves the old output as it was.
     *
     * <p>In {@link WriteMode#APPEND} nothing old is deleted: the new parts (job-tagged) are
     * promoted beside the old ones and the new {@code _SUCCESS} lists the old manifest's parts,
     * partitions and rejects and the new ones, with the dataset's counters and a
     * {@link Manifest#history() history} of the jobs. In {@link WriteMode#OVERWRITE_PARTITIONS}
     * the same, except that the old files of every partition directory the job wrote are deleted
     * once the new {@code _SUCCESS} is in place and its old parts are no longer listed; into an
     * output that is not partitioned it is {@link WriteMode#OVERWRITE}. Both read the old
     * {@code _SUCCESS} under the commit lock (so a job that committed meanwhile is not lost) and
     * keep the dataset's {@code _schema.avsc}; both refuse, before changing anything and with
     * {@link IncompatibleOutputException}, a dataset of another format, schema or partition
     * columns, or an output holding files but no {@code _SUCCESS}. A missing or empty output
     * is a first write.
     *
     * <p>Last, on a store with {@link SupportsPendingUploads}, every incomplete upload under the
     * output started before this job was set up (or resumed) is aborted: what failed or killed
     * jobs left there. An upload of a job that runs into the same output at the same time and
     * started earlier is aborted too; one output takes one job at a time. Append and
     * overwrite-partitions jobs sweep nothing: another job may be writing into the same output.
     *
     * <p>Before the output changes it takes the commit lock ({@link #COMMIT_LOCK}), released after
     * {@code _SUCCESS}: a job that finds another job's lock waits for it up to
     * {@link Builder#lockWait} (none by default), then fails with
     * {@link ConcurrentCommitException}, having changed nothing.
     *
     * <p>Arguments and staging are checked before anything changes: those failures leave the
     * output as it was ({@link IllegalArgumentException}, {@link OutputExistsException}, or an
     * {@link IOException} naming the missing staging). Once the output starts changing, a failure
     * throws {@link CommitStateUnknownException} naming the step, and nothing is cleaned up.
     *
     * @param winningAttempts the winning attempt of every block {@code 0..n-1}, by block index
     * @return the manifest written, with the parts actually promoted and their sizes read back
     */
    public Manifest commitJob(Map<Integer, Integer> winningAttempts, CommitInfo info) throws IOException {
        requireNonNull(info, "info is null");
        Map<Integer, Integer> winners = new TreeMap<>(winningAttempts);
        JsonNode schema = checkArguments(winners, info);
        if (commitStateUnknown) {
            throw new IllegalStateException("An earlier commit of this job failed half-way; not committing again: " + output);
        }
        if (!store.exists(stagingDirectory())) {
            throw new IOException("Staging directory is missing (job not set up, or aborted): " + stagingDirectory());
        }
        // An earlier ApplicationMaster attempt of this job that died while committing left its commit
        // lock and its plan: carry that plan out, skipping what it already moved (never deleting it).
        java.util.Optional<CommitPlan> saved = lockHeldByThisJob() ? CommitPlan.read(store, commitPlanFile()) : java.util.Optional.empty();
        boolean resuming = saved.isPresent();
        Map<Integer, String> partsToPromote;
        List<PartitionFile> partitionFilesToPromote;
        List<RejectFile> rejectsToPromote;
        List<String> partitionColumns;
        JsonNode partitionSchema;
        Manifest previous;
        boolean merge;
        boolean replaceAll;
        List<String> oldFiles;
        List<String> oldDirectories;
        if (resuming) {
            CommitPlan plan = saved.get();
            partsToPromote = new TreeMap<>(plan.parts());
            partitionFilesToPromote = plan.partitionFiles();
            rejectsToPromote = plan.rejects();
            partitionColumns = plan.partitionColumns();
            partitionSchema = plan.partitionSchema();
            previous = plan.previousManifest();
            merge = plan.merge();
            replaceAll = plan.replaceAll();
            oldFiles = plan.oldFiles();
            oldDirectories = plan.oldDirectories();
        } else {
            // Check first, change nothing: which parts exist, and whether the output is still ours.
            partsToPromote = new TreeMap<>();
            partitionFilesToPromote = new ArrayList<>();
            partitionColumns = List.of();
            partitionSchema = null;
            for (Map.Entry<Integer, Integer> winner : winners.entrySet()) {
                int block = winner.getKey();
                String part = attemptPartFile(block, winner.getValue(), info.extension());
                long rows = info.blockRows().getOrDefault(block, 0L);
                String attemptDirectory = attemptDirectory(block, winner.getValue());
                java.util.Optional<AttemptPartitions> listing = AttemptPartitions.read(store, attemptDirectory);
                if (listing.isPresent()) {
                    partitionColumns = checkPartitionColumns(partitionColumns, listing.get().columns(), block);
                    partitionSchema = partitionSchema != null ? partitionSchema : listing.get().schema();
                    long listed = 0;
                    for (AttemptPartitions.PartitionPart file : listing.get().parts()) {
                        String source = attemptDirectory + "/" + file.path();
                        if (!store.exists(source)) {
                            throw new IOException("Winning attempt %s of block %s lists %s in %s, but it is missing: %s"
                                    .formatted(winner.getValue(), block, file.path(), AttemptPartitions.FILE, source));
                        }
                        listed += file.rows();
                        partitionFilesToPromote.add(new PartitionFile(block, source, file));
                    }
                    if (listed != rows) {
                        throw new IOException("Winning attempt %s of block %s reports %s rows but its %s lists %s: %s"
                                .formatted(winner.getValue(), block, rows, AttemptPartitions.FILE, listed, attemptDirectory));
                    }
                    continue;
                }
                if (store.exists(part)) {
                    partsToPromote.put(block, part);
                } else if (rows > 0) {
                    throw new IOException("Winning attempt %s of block %s reports %s rows but wrote no part file: %s"
                            .formatted(winner.getValue(), block, rows, part));
                }
            }
            rejectsToPromote = new ArrayList<>();
            for (Map.Entry<Integer, Integer> winner : winners.entrySet()) {
                String rejectDir = attemptDirectory(winner.getKey(), winner.getValue()) + "/" + REJECTS;
                if (store.exists(rejectDir)) {
                    for (String file : directories.listChildren(rejectDir)) {
                        rejectsToPromote.add(new RejectFile(winner.getKey(), file, REJECTS + "/" + nameOf(file)));
                    }
                }
            }
            lockOutput();
            List<String> oldContent = existingContent();
            if (!oldContent.isEmpty() && writeMode == WriteMode.ERROR) {
                store.delete(lockFile());
                throw new OutputExistsException(
                        "Output directory was written by someone else while the job ran (holds %s): %s"
                                .formatted(describe(oldContent), output));
            }
            // append and overwrite-partitions: the dataset as it is now, read under the lock, so a job
            // that committed into it meanwhile is not lost
            previous = null;
            if (writeMode == WriteMode.APPEND || writeMode == WriteMode.OVERWRITE_PARTITIONS) {
                try {
                    previous = previousDataset(oldContent, schema, info.format(), partitionColumns,
                            !partsToPromote.isEmpty(), !partitionFilesToPromote.isEmpty());
                } catch (IOException | RuntimeException e) {
                    try {
                        store.delete(lockFile());
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            }
            // overwrite-partitions into an output that is not partitioned replaces it whole (as Spark)
            merge = previous != null
                    && (writeMode == WriteMode.APPEND || !previous.partitionColumns().isEmpty());
            replaceAll = !merge && writeMode != WriteMode.ERROR;

            // the old output's files, every directory expanded (partition directories, _rejects): only
            // these are deleted at the end, never a directory the new parts were promoted into
            oldDirectories = new ArrayList<>();
            oldFiles = expandDirectories(oldContent, oldDirectories);
            // before the first change: what a next attempt needs to finish this commit if this one dies
            CommitPlan plan = new CommitPlan(partsToPromote, partitionFilesToPromote, rejectsToPromote, partitionColumns,
                    partitionSchema, previous == null ? null : CommitPlan.text(previous), merge, replaceAll, oldFiles, oldDirectories);
            writeFile(commitPlanFile(), plan::write);
        }
        List<Manifest.Part> parts = new ArrayList<>();
        for (Map.Entry<Integer, String> part : partsToPromote.entrySet()) {
            int block = part.getKey();
            String name = jobPartFileName(block, info.extension());
            String target = output + "/" + name;
            long bytes = changeOutput("promoting %s (block %s, attempt %s) after %s of %s parts, from %s".formatted(
                    name, block, winners.get(block), parts.size(), partsToPromote.size(), part.getValue()), () -> {
                        promote(part.getValue(), target, resuming);
                        return store.list(target).get(0).length();
                    });
            parts.add(new Manifest.Part(name, info.blockRows().getOrDefault(block, 0L), bytes));
        }
        Map<String, List<Manifest.Part>> partitionParts = new TreeMap<>();
        Map<String, Map<String, String>> partitionValues = new HashMap<>();
        for (PartitionFile file : partitionFilesToPromote) {
            // job-tagged like unpartitioned parts (every mode but error), so a new part never takes
            // the name of an old one in the same partition directory
            String name = tagsPartNames() ? withJobTagInLastSegment(file.part().path()) : file.part().path();
            String target = output + "/" + name;
            long bytes = changeOutput("promoting %s (block %s, attempt %s) after %s of %s parts, from %s".formatted(
                    name, file.block(), winners.get(file.block()), parts.size(), partsToPromote.size() + partitionFilesToPromote.size(),
                    file.source()), () -> {
                        promote(file.source(), target, resuming);
                        return store.list(target).get(0).length();
                    });
            Manifest.Part promoted = new Manifest.Part(name, file.part().rows(), bytes);
            parts.add(promoted);
            partitionParts.computeIfAbsent(file.part().directory(), directory -> new ArrayList<>()).add(promoted);
            partitionValues.putIfAbsent(file.part().directory(), file.part().values());
        }
        List<Manifest.Partition> partitions = new ArrayList<>();
        for (Map.Entry<String, List<Manifest.Part>> partition : partitionParts.entrySet()) {
            long rows = partition.getValue().stream().mapToLong(Manifest.Part::rows).sum();
            partitions.add(new Manifest.Partition(partition.getKey(), partitionValues.get(partition.getKey()), rows, partition.getValue()));
        }
        List<Manifest.Part> rejects = new ArrayList<>();
        for (RejectFile reject : rejectsToPromote) {
            String target = output + "/" + (tagsPartNames() ? withJobTag(reject.name()) : reject.name());
            long bytes = changeOutput("promoting %s (block %s) after %s parts, from %s".formatted(
                    reject.name(), reject.block(), parts.size(), reject.source()), () -> {
                        promote(reject.source(), target, resuming);
                        return store.list(target).get(0).length();
                    });
            rejects.add(new Manifest.Part(target.substring(output.length() + 1), info.blockRejects().getOrDefault(reject.block(), 0L), bytes));
        }
        Manifest jobManifest = new Manifest(
                info.spindleVersion(), info.applicationId(), info.format(), schema, info.counters(), parts, rejects,
                partitionColumns, partitions, partitionSchema);
        Manifest manifest = merge ? merged(previous, jobManifest) : jobManifest;
        // what goes: in overwrite every old file; in overwrite-partitions the old files of the
        // partitions this job wrote; in append nothing but the old _SUCCESS
        List<String> replacedFirst = new ArrayList<>();
        List<String> deletedAfter = new ArrayList<>();
        for (String old : successFirst(oldFiles)) {
            boolean manifestFile = nameOf(old).equals(SUCCESS) && parentOf(old).equals(output);
            boolean schemaFile = nameOf(old).equals(SCHEMA) && parentOf(old).equals(output);
            if (manifestFile || (schemaFile && replaceAll)) {
                replacedFirst.add(old);
            } else if (replaceAll) {
                deletedAfter.add(old);
            } else if (writeMode == WriteMode.OVERWRITE_PARTITIONS && partitionParts.containsKey(relative(parentOf(old)))) {
                deletedAfter.add(old);
            }
        }
        // in append and overwrite-partitions the dataset keeps its _schema.avsc (the job's schema is the same)
        boolean writeSchema = replaceAll || writeMode == WriteMode.ERROR || !store.exists(output + "/" + SCHEMA);
        // Both written in staging and renamed, so a reader never sees a partly written one, and the
        // old ones (overwrite) are gone for as short a time as the store allows.
        changeOutput("writing " + SCHEMA, () -> {
            store.delete(stagingDirectory() + "/" + SCHEMA); // an earlier attempt's, when resuming
            writeFile(stagingDirectory() + "/" + SCHEMA, out -> out.write(info.schemaJson().getBytes(UTF_8)));
            return null;
        });
        changeOutput("writing " + SUCCESS, () -> {
            store.delete(stagingDirectory() + "/" + SUCCESS);
            writeFile(stagingDirectory() + "/" + SUCCESS, manifest::write);
            return null;
        });
        for (String old : replacedFirst) {
            changeOutput("deleting old output " + old, () -> {
                store.delete(old);
                return null;
            });
        }
        if (writeSchema) {
            changeOutput("writing " + SCHEMA, () -> {
                if (resuming) {
                    store.delete(output + "/" + SCHEMA); // the earlier attempt's, if it got that far
                }
                renames.rename(stagingDirectory() + "/" + SCHEMA, output + "/" + SCHEMA);
                return null;
            });
        }
        changeOutput("writing " + SUCCESS, () -> {
            if (resuming) {
                store.delete(output + "/" + SUCCESS);
            }
            renames.rename(stagingDirectory() + "/" + SUCCESS, output + "/" + SUCCESS);
            return null;
        });
        // Committed: what follows only cleans up, and a failure says so.
        for (String old : deletedAfter) {
            try {
                store.delete(old);
            } catch (IOException e) {
                throw new IOException("Job committed (%s written), but deleting the old output failed at %s: %s"
                        .formatted(SUCCESS, old, output), e);
            }
        }
        if (replaceAll) {
            // deepest first: an old partition directory the new job wrote nothing into goes with its files
            for (int i = oldDirectories.size() - 1; i >= 0; i--) {
                deleteIfEmptyDirectory(oldDirectories.get(i));
            }
            deleteIfEmptyDirectory(output + "/" + REJECTS);
        }
        committed = true;
        try {
            store.delete(lockFile());
        } catch (IOException e) {
            throw new IOException("Job committed (%s written), but deleting the commit lock failed: %s"
                    .formatted(SUCCESS, lockFile()), e);
        }
        try {
            deleteStaging();
        } catch (IOException e) {
            throw new IOException("Job committed (%s written), but deleting the staging directory failed: %s"
                    .formatted(SUCCESS, stagingDirectory()), e);
        }
        // append and overwrite-partitions expect other jobs in the same output at once: their
        // pending uploads must survive this commit, so nothing is swept (spindle uploads --abort does it)
        boolean sweeps = writeMode != WriteMode.APPEND && writeMode != WriteMode.OVERWRITE_PARTITIONS;
        if (sweeps && store instanceof SupportsPendingUploads uploads && startedAt != null) {
            try {
                uploads.abortPendingUploads(output, startedAt);
            } catch (IOException e) {
                throw new IOException("Job committed (%s written), but aborting the pending uploads of earlier jobs failed: %s"
                        .formatted(SUCCESS, output), e);
            }
        }
        return manifest;
    }

    /** Every mode but error names the job's parts and rejects with its job id. */
    private boolean tagsPartNames() {
        return writeMode != WriteMode.ERROR;
    }

    private static String parentOf(String location) {
        return location.substring(0, Math.max(0, location.lastIndexOf('/')));
    }

    /** {@code <output>/city=Paris} -> {@code city=Paris}; the output itself -> "". */
    private String relative(String location) {
        return location.equals(output) ? "" : location.substring(output.length() + 1);
    }

    /**
     * The committed dataset an append or overwrite-partitions job adds to, or null when there is
     * none yet (the output is missing, or holds only staging): then the job is a first write.
     *
     * @throws IncompatibleOutputException when the output holds files but no {@code _SUCCESS}, or
     *     its format, schema or partition columns are not the job's
     */
    private Manifest previousDataset(List<String> oldContent, JsonNode schema, String format, List<String> jobPartitionColumns,
            boolean wroteUnpartitioned, boolean wrotePartitioned) throws IOException {
        if (oldContent.isEmpty()) {
            return null;
        }
        java.util.Optional<Manifest> found = ManifestCodec.read(store, output);
        String mode = writeMode.optionValue();
        if (found.isEmpty()) {
            throw new IncompatibleOutputException(("Cannot %s: the output holds files (%s) but no %s manifest, so it is not "
                    + "a committed Spindle dataset; nothing was changed (use --write-mode overwrite to replace it): %s")
                    .formatted(mode, describe(oldContent), SUCCESS, output));
        }
        Manifest previous = found.get();
        if (writeMode == WriteMode.OVERWRITE_PARTITIONS && previous.partitionColumns().isEmpty()) {
            // replaced whole, as overwrite: any format and schema, but not by partitions (as Spark)
            if (wrotePartitioned && !previous.parts().isEmpty()) {
                throw new IncompatibleOutputException(("Cannot %s: the dataset is partitioned by nothing, the job by %s; "
                        + "nothing was changed: %s").formatted(mode, jobPartitionColumns, output));
            }
            return previous;
        }
        if (!previous.format().equals(format)) {
            throw new IncompatibleOutputException("Cannot %s %s parts to a %s dataset; nothing was changed: %s"
                    .formatted(mode, format, previous.format(), output));
        }
        if (!previous.schema().equals(schema)) {
            throw new IncompatibleOutputException(("Cannot %s: the job's schema differs from the dataset's; nothing was "
                    + "changed: %s%n  dataset: %s%n  job:     %s").formatted(mode, output, previous.schema(), schema));
        }
        if (!previous.parts().isEmpty()) {
            List<String> columns = previous.partitionColumns();
            boolean mismatch = (wrotePartitioned && !jobPartitionColumns.equals(columns))
                    || (wroteUnpartitioned && !columns.isEmpty());
            if (mismatch) {
                throw new IncompatibleOutputException(("Cannot %s: the dataset is partitioned by %s, the job by %s; "
                        + "nothing was changed: %s").formatted(mode, columns.isEmpty() ? "nothing" : columns,
                        wrotePartitioned ? jobPartitionColumns : "nothing", output));
            }
        }
        return previous;
    }

    /**
     * The manifest of the dataset after this job: {@code previous} with the job's parts, rejects
     * and partitions added (append) or its partitions replaced by the job's (overwrite-partitions),
     * counters for the whole dataset, and the job added to the history.
     */
    private Manifest merged(Manifest previous, Manifest job) {
        java.util.Set<String> written = new java.util.HashSet<>();
        job.partitions().forEach(partition -> written.add(partition.path()));
        boolean replace = writeMode == WriteMode.OVERWRITE_PARTITIONS;
        List<String> replaced = new ArrayList<>();
        Map<String, Manifest.Partition> partitions = new TreeMap<>();
        java.util.Set<String> droppedParts = new java.util.HashSet<>();
        for (Manifest.Partition partition : previous.partitions()) {
            if (replace && written.contains(partition.path())) {
                replaced.add(partition.path());
                partition.parts().forEach(part -> droppedParts.add(part.path()));
            } else {
                partitions.put(partition.path(), partition);
            }
        }
        for (Manifest.Partition partition : job.partitions()) {
            Manifest.Partition old = partitions.get(partition.path());
            if (old == null) {
                partitions.put(partition.path(), partition);
            } else {
                List<Manifest.Part> both = new ArrayList<>(old.parts());
                both.addAll(partition.parts());
                partitions.put(partition.path(), new Manifest.Partition(partition.path(), old.values(), old.rows() + partition.rows(), both));
            }
        }
        List<Manifest.Part> parts = new ArrayList<>();
        for (Manifest.Part part : previous.parts()) {
            if (!droppedParts.contains(part.path())) {
                parts.add(part);
            }
        }
        parts.addAll(job.parts());
        List<Manifest.Part> rejects = new ArrayList<>(previous.rejects());
        rejects.addAll(job.rejects());
        List<Manifest.Job> history = new ArrayList<>(previous.history());
        if (history.isEmpty()) {
            history.add(new Manifest.Job(previous.applicationId(), "first", previous.counters(), previous.parts().size(), List.of()));
        }
        history.add(new Manifest.Job(job.applicationId(), writeMode.optionValue(), job.counters(), job.parts().size(), replaced));
        Manifest.Counters a = previous.counters();
        Manifest.Counters b = job.counters();
        long rowsWritten = parts.stream().mapToLong(Manifest.Part::rows).sum();
        long rowsFiltered = a.rowsFiltered() + b.rowsFiltered();
        long rowsRejected = a.rowsRejected() + b.rowsRejected();
        Manifest.Counters counters = new Manifest.Counters(rowsWritten + rowsFiltered + rowsRejected, rowsWritten, rowsFiltered,
                rowsRejected, a.bytesRead() + b.bytesRead(), a.blocks() + b.blocks(), a.blocksRerun() + b.blocksRerun(),
                a.attempts() + b.attempts(), a.blocksRecovered() + b.blocksRecovered(),
                a.speculativeAttempts() + b.speculativeAttempts(), a.s3Retries() + b.s3Retries(),
                a.blocksNodeLocal() + b.blocksNodeLocal());
        List<String> columns = previous.partitionColumns().isEmpty() ? job.partitionColumns() : previous.partitionColumns();
        JsonNode partitionSchema = previous.partitionSchema() != null ? previous.partitionSchema() : job.partitionSchema();
        return new Manifest(job.spindleVersion(), job.applicationId(), job.format(), job.schema(), counters, parts, rejects,
                columns, List.copyOf(partitions.values()), partitionSchema, history);
    }

    private String lockFile() {
        return output + "/" + COMMIT_LOCK;
    }

    /** The commit's plan, in staging: written before the first change to the output. */
    private String commitPlanFile() {
        return stagingDirectory() + "/" + CommitPlan.FILE;
    }

    /** Whether the commit lock exists and holds this job's id: an earlier attempt of it was committing. */
    private boolean lockHeldByThisJob() throws IOException {
        if (!store.exists(lockFile())) {
            return false;
        }
        try (var input = store.open(lockFile())) {
            byte[] bytes = new byte[(int) Math.min(input.length(), 1024)];
            input.readFully(0, bytes, 0, bytes.length);
            return new String(bytes, UTF_8).trim().equals(jobId);
        }
    }

    /**
     * Moves a winning file into the output. Resuming a commit, a target that exists was moved by
     * the earlier attempt (only this job writes its names under its lock: job-tagged names, or in
     * {@link WriteMode#ERROR} an output that was empty when the plan was made); what is left of its
     * source (on S3, the record of an upload already completed) is deleted, the target kept.
     */
    private void promote(String source, String target, boolean resuming) throws IOException {
        if (resuming && store.exists(target)) {
            store.delete(source);
            return;
        }
        renames.rename(source, target);
        afterEachPromotion.run();
    }

    /**
     * Takes the output's commit lock by an exclusive create (atomic on HDFS, the NameNode's
     * create without overwrite; on the in-memory store; on S3, whose conditional write makes the
     * close fail for all but one writer; and on a local disk, an exclusive create of the file).
     * A lock holding this job's id is an earlier ApplicationMaster attempt's: this attempt takes
     * it over.
     *
     * @throws ConcurrentCommitException if another job holds it
     */
    private void lockOutput() throws IOException {
        long deadline = System.nanoTime() + lockWait.toNanos();
        while (true) {
            try {
                tryLockOutput();
                return;
            } catch (ConcurrentCommitException e) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (lockWait.isZero()) {
                        throw e;
                    }
                    throw new ConcurrentCommitException("%s (waited %s s for the lock)".formatted(e.getMessage(), lockWait.toSeconds()));
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(LOCK_POLL_MS, left / 1_000_000)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("Interrupted waiting for the commit lock; nothing was changed: " + lockFile());
                }
            }
        }
    }

    private void tryLockOutput() throws IOException {
        String lock = lockFile();
        OutputStream created = null;
        try {
            created = store.create(lock);
        } catch (FileAlreadyExistsException e) {
            // held: by whom?
        }
        boolean lost = false;
        if (created != null) {
            try (OutputStream out = created) {
                out.write(jobId.getBytes(UTF_8));
            } catch (FileAlreadyExistsException e) {
                // a create that is exclusive only when written (S3's conditional write): another
                // job's lock landed first, and is not this job's to delete
                lost = true;
            } catch (IOException e) {
                // the file is this job's own: an empty lock would later look like another job's
                try {
                    store.delete(lock);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new IOException("Cannot write the commit lock; nothing was changed: " + lock, e);
            }
            if (!lost) {
                return;
            }
        }
        String holder;
        try (var input = store.open(lock)) {
            byte[] bytes = new byte[(int) Math.min(input.length(), 1024)];
            input.readFully(0, bytes, 0, bytes.length);
            holder = new String(bytes, UTF_8).trim();
        } catch (IOException e) {
            holder = "unknown";
        }
        if (!holder.equals(jobId)) {
            throw new ConcurrentCommitException(("Another job (%s) is committing to %s; nothing was changed. If that job "
                    + "is no longer running, its commit state is unknown: check the output, delete %s and run again")
                    .formatted(holder, output, lock));
        }
    }

    /** One step of the commit that changes the output: failing it leaves the commit state unknown. */
    private <T> T changeOutput(String step, OutputChange<T> change) throws CommitStateUnknownException {
        try {
            return change.apply();
        } catch (IOException | RuntimeException e) {
            commitStateUnknown = true;
            throw new CommitStateUnknownException(
                    "Commit state unknown: failed %s; %s is absent and nothing was cleaned up: %s"
                            .formatted(step, SUCCESS, output), e);
        }
    }

    @FunctionalInterface
    private interface OutputChange<T> {
        T apply() throws IOException;
    }

    @FunctionalInterface
    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The old manifest goes first, so no reader trusts a half-deleted output. */
    private static List<String> successFirst(List<String> content) {
        List<String> ordered = new ArrayList<>();
        for (String location : content) {
            if (nameOf(location).equals(SUCCESS)) {
                ordered.add(0, location);
            } else {
                ordered.add(location);
            }
        }
        return ordered;
    }

    /**
     * Aborts the job: deletes its staging directory; deletes {@code _temporary} and the output
     * directory if this job created them (in {@link #setupJob}) and they are now empty. Never
     * deletes anything that existed before the job. Idempotent. After a commit whose state is
     * unknown it deletes nothing: staging still holds parts not yet promoted.
     */
    public void abortJob() throws IOException {
        if (commitStateUnknown) {
            return;
        }
        store.delete(stagingDirectory());
        String temporary = output + "/" + TEMPORARY;
        if (setUp && !temporaryExisted && isEmptyDirectory(temporary)) {
            store.delete(temporary);
        }
        if (setUp && !outputExisted && isEmptyDirectory(output)) {
            store.delete(output);
        }
    }

    private JsonNode checkArguments(Map<Integer, Integer> winners, CommitInfo info) {
        Manifest.Counters counters = info.counters();
        List<Integer> missing = new ArrayList<>();
        for (int block = 0; block < counters.blocks(); block++) {
            if (!winners.containsKey(block)) {
                missing.add(block);
            }
        }
        if (!missing.isEmpty() || winners.size() != counters.blocks()) {
            throw new IllegalArgumentException("Winning attempts must name every block 0..%s once; missing %s, given %s: %s"
                    .formatted(counters.blocks() - 1, missing, winners.keySet(), output));
        }
        for (Integer block : info.blockRows().keySet()) {
            if (!winners.containsKey(block)) {
                throw new IllegalArgumentException("Rows are given for block %s, which has no winning attempt: %s"
                        .formatted(block, output));
            }
        }
        long rowsWritten = info.blockRows().values().stream().mapToLong(Long::longValue).sum();
        if (counters.rowsRead() != counters.rowsWritten() + counters.rowsFiltered() + counters.rowsRejected()
                || counters.rowsWritten() != rowsWritten) {
            throw new IllegalArgumentException(
                    "Counters do not reconcile: rowsRead %s must be rowsWritten %s + rowsFiltered %s + rowsRejected %s, "
                            .formatted(counters.rowsRead(), counters.rowsWritten(), counters.rowsFiltered(),
                                    counters.rowsRejected())
                            + "and rowsWritten the sum of the blocks' rows %s: %s".formatted(rowsWritten, output));
        }
        try {
            return ManifestCodec.parse(info.schemaJson());
        } catch (IOException e) {
            throw new IllegalArgumentException("Schema is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Everything in the output directory but {@code _temporary} and the commit lock; empty when it does not exist. */
    private List<String> existingContent() throws IOException {
        if (!store.exists(output)) {
            return List.of();
        }
        List<String> content = new ArrayList<>();
        for (String child : directories.listChildren(output)) {
            if (!nameOf(child).equals(TEMPORARY) && !nameOf(child).equals(COMMIT_LOCK)) {
                content.add(child);
            }
        }
        return content;
    }

    /**
     * The old output's files, with {@code _rejects} replaced by the files in it: new rejects are
     * promoted into the same directory before the old ones are deleted.
     */
    /**
     * The files below {@code content}, every directory expanded recursively (hidden names
     * included); the directories met are added to {@code directoriesMet}, parents before children.
     */
    private List<String> expandDirectories(List<String> content, List<String> directoriesMet) throws IOException {
        List<String> files = new ArrayList<>();
        for (String location : content) {
            if (isDirectory(location)) {
                directoriesMet.add(location);
                files.addAll(expandDirectories(directories.listChildren(location), directoriesMet));
            } else {
                files.add(location);
            }
        }
        return files;
    }

    private String withJobTagInLastSegment(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? withJobTag(path) : path.substring(0, slash + 1) + withJobTag(path.substring(slash + 1));
    }

    private boolean isDirectory(String location) throws IOException {
        try {
            directories.listChildren(location);
            return true;
        } catch (java.io.FileNotFoundException e) {
            return false;
        }
    }

    private void deleteIfEmptyDirectory(String location) throws IOException {
        if (isEmptyDirectory(location)) {
            store.delete(location);
        }
    }

    /**
     * After {@link #commitJob}: removes this job's staging directory if something recreated it (an
     * attempt that was still writing when the job committed), and {@code _temporary} if it is then
     * empty. Touches nothing of the committed output; does nothing before a commit.
     */
    public void removeLeftovers() throws IOException {
        if (committed && store.exists(stagingDirectory())) {
            deleteStaging();
        } else if (committed && isEmptyDirectory(output + "/" + TEMPORARY)) {
            store.delete(output + "/" + TEMPORARY);
        }
    }

    private void deleteStaging() throws IOException {
        store.delete(stagingDirectory());
        String temporary = output + "/" + TEMPORARY;
        if (isEmptyDirectory(temporary)) {
            store.delete(temporary);
        }
    }

    private boolean isEmptyDirectory(String location) throws IOException {
        return store.exists(location) && directories.listChildren(location).isEmpty();
    }

    private void writeFile(String location, Writer writer) throws IOException {
        try (OutputStream out = store.create(location)) {
            writer.writeTo(out);
        }
    }

    private List<String> checkPartitionColumns(List<String> seen, List<String> columns, int block) {
        if (!seen.isEmpty() && !seen.equals(columns)) {
            throw new IllegalArgumentException("Block %s is partitioned by %s, an earlier block by %s: %s"
                    .formatted(block, columns, seen, output));
        }
        return columns;
    }

    /** A part file in a partition directory a winning attempt wrote, and what its listing says of it. */
    record PartitionFile(int block, String source, AttemptPartitions.PartitionPart part) {}

    /** A file of rejected records a winning attempt wrote, and its name in the output. */
    record RejectFile(int block, String source, String name) {}

    private static String nameOf(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String describe(List<String> locations) {
        List<String> names = new ArrayList<>();
        for (String location : locations.subList(0, Math.min(3, locations.size()))) {
            names.add(nameOf(location));
        }
        return String.join(", ", names) + (locations.size() > 3 ? " and %s more".formatted(locations.size() - 3) : "");
    }

    /** Options of a {@link PartCommitter}; store, output directory and job id are required. */
    public static final class Builder {
        private FileStore store;
        private String output;
        private String jobId;
        private WriteMode writeMode = WriteMode.ERROR;
        private Clock clock = Clock.systemUTC();
        private java.time.Duration lockWait = java.time.Duration.ZERO;
        private Runnable afterEachPromotion = () -> {};

        private Builder() {}

        /** Runs after each file the commit moves into the output; for tests that stop a commit half-way. */
        public Builder afterEachPromotion(Runnable hook) {
            this.afterEachPromotion = requireNonNull(hook, "hook is null");
            return this;
        }

        /**
         * How long the commit waits for another job's commit lock before it fails with
         * {@link ConcurrentCommitException}, having changed nothing; zero (the default) fails at
         * once. Two appends into one dataset both land when the second one's wait outlasts the
         * first one's commit: it reads the manifest the first one wrote.
         */
        public Builder lockWait(java.time.Duration wait) {
            requireNonNull(wait, "wait is null");
            if (wait.isNegative()) {
                throw new IllegalArgumentException("The lock wait is negative: " + wait);
            }
            this.lockWait = wait;
            return this;
        }

        /** The clock that dates the job's start (pending uploads older than it are swept); the system's unless set. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** A store that also implements {@link SupportsRename} and {@link SupportsDirectories}. */
        public Builder store(FileStore store) {
            this.store = store;
            return this;
        }

        /** The output directory of the job. */
        public Builder outputDirectory(String location) {
            this.output = location;
            return this;
        }

        /** The job id, the YARN application id ({@code application_1795225647249_0001}). */
        public Builder jobId(String jobId) {
            this.jobId = jobId;
            return this;
        }

        /** {@link WriteMode#ERROR} unless set. */
        public Builder writeMode(WriteMode writeMode) {
            this.writeMode = writeMode;
            return this;
        }

        public PartCommitter build() {
            requireNonNull(store, "store is null");
            requireNonNull(output, "output directory is null");
            requireNonNull(jobId, "jobId is null");
            requireNonNull(writeMode, "writeMode is null");
            requireNonNull(clock, "clock is null");
            if (jobId.isEmpty() || jobId.contains("/")) {
                throw new IllegalArgumentException("Job id must be a non-empty name without '/': '" + jobId + "'");
            }
            while (output.length() > 1 && output.endsWith("/")) {
                output = output.substring(0, output.length() - 1);
            }
            if (!(store instanceof SupportsRename) || !(store instanceof SupportsDirectories)) {
                throw new IllegalArgumentException(
                        "The commit protocol needs a store with atomic rename and directories (%s and %s); %s has %s: %s"
                                .formatted(SupportsRename.class.getSimpleName(), SupportsDirectories.class.getSimpleName(),
                                        store.getClass().getSimpleName(),
                                        store instanceof SupportsRename ? "no directories"
                                                : store instanceof SupportsDirectories ? "no rename" : "neither",
                                        output));
            }
            return new PartCommitter(this);
        }
    }
}
