package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.yarn.JobResult;
import dev.spindle.yarn.JobState;
import dev.spindle.yarn.JobStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobSummaryTest {

    @Test
    void aFailedJobsSummaryListsTheNodesItExcluded() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JobResult result = new JobResult("application_1_0001", JobState.FAILED, "Block 0 (...) failed 3 of 3 attempts; last error: x",
                Optional.empty(), List.of(), 12_300);
        JobStatus status = new JobStatus("application_1_0001", JobState.FAILED, result.message(), null, List.of(), null,
                List.of("node7 (3 failed containers; last: container_1_0001_01_000004 exit status 1: )"));

        new JobSummary(new PrintStream(bytes, true, UTF_8)).print("csv-to-avro", Optional.empty(), result, Optional.of(status));

        assertEquals("""
                csv-to-avro FAILED: application_1_0001 in 12.3 s
                  node excluded  node7 (3 failed containers; last: container_1_0001_01_000004 exit status 1: )
                """, bytes.toString(UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void theAttemptsLineCountsSpeculativeAttemptsWhenThereWereAny() throws Exception {
        dev.spindle.yarn.JobSpec spec = dev.spindle.yarn.JobSpec.builder("csv-to-avro", CsvConversionTask.class).input("hdfs://nn/in/a.csv")
                .output("hdfs://nn/out").task(CsvJobSpec.builder().build()).build();
        com.fasterxml.jackson.databind.JsonNode schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"type\":\"bytes\"}");
        dev.spindle.io.commit.Manifest manifest = new dev.spindle.io.commit.Manifest("0.1.0", "application_1_0001", "avro", schema,
                new dev.spindle.io.commit.Manifest.Counters(10, 10, 0, 0, 1_000_000, 6, 0, 7, 0, 1, 0),
                List.of(new dev.spindle.io.commit.Manifest.Part("part-00000.avro", 10, 100)), List.of());
        JobResult result = new JobResult("application_1_0001", JobState.SUCCEEDED, "", Optional.of(manifest), List.of(), 2_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        new JobSummary(new PrintStream(bytes, true, UTF_8)).print("csv-to-avro", Optional.of(spec), result, Optional.empty());

        String printed = bytes.toString(UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(printed.contains("  blocks 6 (re-run 0), attempts 7 (speculative 1), part files 1\n"), printed);
    }
}
