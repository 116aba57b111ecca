package dev.spindle.jobs;

import dev.spindle.codec.Column;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.commit.Manifest;
import dev.spindle.yarn.JobResult;
import dev.spindle.yarn.JobSpec;
import dev.spindle.yarn.JobStatus;
import java.io.PrintStream;
import java.util.Optional;
import org.apache.avro.Schema;

/** The summary a job command prints when the job ends. */
final class JobSummary {

    private final PrintStream out;

    JobSummary(PrintStream out) {
        this.out = out;
    }

    void print(String command, Optional<JobSpec> known, JobResult result, Optional<JobStatus> status) {
        double seconds = result.wallMillis() / 1000.0;
        out.printf("%s %s: %s in %.1f s%n", command, result.state(), result.applicationId(), seconds);
        if (result.manifest().isEmpty()) {
            return;
        }
        Manifest manifest = result.manifest().get();
        JobSpec spec = known.orElseThrow(); // a result has a manifest only when the job's output is known
        Manifest.Counters counters = manifest.counters();
        out.printf("  rows read      %,15d%n", counters.rowsRead());
        out.printf("  rows written   %,15d%n", counters.rowsWritten());
        out.printf("  rows filtered  %,15d%n", counters.rowsFiltered());
        out.printf("  rows rejected  %,15d%n", counters.rowsRejected());
        out.printf("  blocks %d (re-run %d), attempts %d, part files %d%n", counters.blocks(), counters.blocksRerun(),
                counters.attempts(), manifest.parts().size());
        out.printf("  read %,.1f MB in %.1f s: %.1f MB/s%n", counters.bytesRead() / 1e6, seconds,
                seconds > 0 ? counters.bytesRead() / 1e6 / seconds : 0);
        out.printf("  output %s%n", spec.output());
        Optional<String> inferred = status.map(JobStatus::preparation)
                .map(preparation -> preparation.properties().get(CsvConversionTask.TABLE_SCHEMA));
        if (inferred.isPresent() && !spec.options().containsKey(CsvJobOptions.SCHEMA)) {
            out.printf("  inferred schema (from a sample of up to %s rows):%n", spec.option(CsvJobOptions.SAMPLE_ROWS, "20480"));
            for (Column column : TableSchema.fromAvroSchema(new Schema.Parser().parse(inferred.get())).columns()) {
                out.printf("    %-24s %s%s%n", column.name(), column.typeDescription(), column.nullable() ? " (nullable)" : "");
            }
        }
        out.printf("  written schema %s%n", manifest.schema().toString());
    }
}
