package dev.spindle.jobs;

import dev.spindle.codec.Column;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.commit.Manifest;
import dev.spindle.yarn.JobResult;
import dev.spindle.yarn.JobPreparation;
import dev.spindle.yarn.JobSpec;
import dev.spindle.yarn.JobStatus;
import java.io.PrintStream;
import java.util.Optional;

/** The summary a job command prints when the job ends. */
final class JobSummary {

    private final PrintStream out;

    JobSummary(PrintStream out) {
        this.out = out;
    }

    void print(String command, Optional<JobSpec> known, JobResult result, Optional<JobStatus> status) {
        double seconds = result.wallMillis() / 1000.0;
        out.printf("%s %s: %s in %.1f s%n", command, result.state(), result.applicationId(), seconds);
        for (String node : status.map(JobStatus::excludedNodes).orElse(java.util.List.of())) {
            out.printf("  node excluded  %s%n", node);
        }
        if (result.manifest().isEmpty()) {
            return;
        }
        Manifest manifest = result.manifest().get();
        JobSpec spec = known.orElseThrow(); // a result has a manifest only when the job's output is known
        // the job's own counters; after an append or overwrite-partitions the dataset's totals follow
        Manifest.Counters counters = manifest.jobCounters();
        out.printf("  rows read      %,15d%n", counters.rowsRead());
        out.printf("  rows written   %,15d%n", counters.rowsWritten());
        out.printf("  rows filtered  %,15d%n", counters.rowsFiltered());
        out.printf("  rows rejected  %,15d%n", counters.rowsRejected());
        String speculative = counters.speculativeAttempts() > 0 ? " (speculative %d)".formatted(counters.speculativeAttempts()) : "";
        out.printf("  blocks %d (re-run %d), attempts %d%s, part files %d%n", counters.blocks(), counters.blocksRerun(),
                counters.attempts(), speculative, manifest.jobParts());
        out.printf("  node-local blocks %d of %d (ran on a host holding their data)%n", counters.blocksNodeLocal(), counters.blocks());
        if (!manifest.history().isEmpty()) {
            Manifest.Job job = manifest.history().get(manifest.history().size() - 1);
            out.printf("  %s: the dataset now holds %,d rows in %d part files, written by %d jobs%s%n", job.writeMode(),
                    manifest.counters().rowsWritten(), manifest.parts().size(), manifest.history().size(),
                    job.partitionsReplaced().isEmpty() ? "" : "; partitions replaced: " + String.join(", ", job.partitionsReplaced()));
        }
        if (counters.s3Retries() > 0) {
            out.printf("  S3 requests retried %d (throttling, server errors, broken connections)%n", counters.s3Retries());
        }
        if (status.map(JobStatus::uber).orElse(false)) {
            out.printf("  ran in the ApplicationMaster (uber mode: no worker container; --no-uber turns it off)%n");
        }
        out.printf("  read %,.1f MB in %.1f s: %.1f MB/s%n", counters.bytesRead() / 1e6, seconds,
                seconds > 0 ? counters.bytesRead() / 1e6 / seconds : 0);
        out.printf("  output %s%n", spec.output());
        Optional<TableSchema> inferred = status.map(JobStatus::preparation)
                .map(JobPreparation::task)
                .filter(CsvJobSpec.class::isInstance)
                .flatMap(task -> ((CsvJobSpec) task).table());
        if (inferred.isPresent() && spec.task() instanceof CsvJobSpec csv && csv.schema() == null) {
            out.printf("  inferred schema (from a sample of up to %d rows):%n", csv.sampleRows());
            for (Column column : inferred.get().columns()) {
                out.printf("    %-24s %s%s%n", column.name(), column.typeDescription(), column.nullable() ? " (nullable)" : "");
            }
        }
        out.printf("  written schema %s%n", manifest.schema().toString());
    }
}
