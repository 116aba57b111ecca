package dev.spindle.jobs.examples;

import dev.spindle.jobs.CsvConversionTask;
import dev.spindle.jobs.CsvJobSpec;
import dev.spindle.jobs.filter.FilterExpression;
import dev.spindle.yarn.BlockResult;
import dev.spindle.yarn.JobClient;
import dev.spindle.yarn.JobHandle;
import dev.spindle.yarn.JobResult;
import dev.spindle.yarn.JobSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;

/**
 * The README's Java API example, compiled and run against the embedded cluster by
 * {@code JavaApiExampleIT}, which also checks that the README shows this code (between the
 * markers) verbatim. Uses only the public API, from outside Spindle's packages.
 */
public final class JavaApiExample {

    private JavaApiExample() {}

    /** Converts {@code input} to Avro in {@code output}, keeping rows with more than 3 passengers; returns the result. */
    public static JobResult run(Configuration conf, String input, String output) throws Exception {
        // README-BEGIN
        JobSpec spec = JobSpec.builder("csv-to-avro", CsvConversionTask.class)
                .input(input)
                .output(output)
                .containers(2)
                .task(CsvJobSpec.builder()
                        .filter(FilterExpression.parse("passenger_count > 3"))
                        .select(List.of("pickup_datetime", "passenger_count"))
                        .build())
                .build();
        try (JobHandle job = new JobClient(conf).submit(spec)) {
            System.out.println("submitted " + job.applicationId());
            job.addListener(status -> System.out.printf("%s: %d of %d blocks%n",
                    status.state(), status.blocksDone(), status.blocks().size()));
            // one future per block, completed as each block's attempt is accepted
            AtomicInteger blocksDone = new AtomicInteger();
            job.blocks().thenAccept(blocks -> blocks.forEach(block -> block.thenAccept(
                    (BlockResult result) -> blocksDone.incrementAndGet())));
            JobResult result = job.await();
            System.out.printf("%s after %d ms; %d blocks reported; manifest: %s%n", result.state(),
                    result.wallMillis(), blocksDone.get(), result.manifest().map(m -> m.counters().toString()).orElse("none"));
            return result;
        }
        // README-END
    }
}
