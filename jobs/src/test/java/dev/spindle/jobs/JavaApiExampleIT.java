package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.jobs.examples.JavaApiExample;
import dev.spindle.yarn.JobResult;
import dev.spindle.yarn.JobState;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's Java API example runs on the embedded cluster, and the README shows its code verbatim. */
@ExtendWith(SharedCluster.Resolver.class)
class JavaApiExampleIT {

    private static final String SOURCE = "src/test/java/dev/spindle/jobs/examples/JavaApiExample.java";

    @Test
    void theExampleConvertsTheFileAndReportsEveryBlock(SharedCluster cluster) throws Exception {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        new TaxiDataGenerator(11).write(csv, 5_000);
        cluster.write("/data/api/trips.csv", csv.toByteArray());
        long expected = csv.toString(UTF_8).lines().skip(1).filter(line -> Integer.parseInt(line.split(",")[7]) > 3).count();

        Configuration conf = cluster.configuration();
        String jar = System.getProperty("spindle.job.jar");
        if (jar != null) {
            conf.set("spindle.yarn.job-jar", jar);
        }
        JobResult result = JavaApiExample.run(conf, "/data/api/trips.csv", "/out/api");
        assertEquals(JobState.SUCCEEDED, result.state(), result.message());
        assertEquals(expected, result.manifest().orElseThrow().counters().rowsWritten());
        assertEquals(result.manifest().orElseThrow().counters().blocks(), result.blocks().size());
        List<GenericRecord> records = cluster.avroRecords("/out/api");
        assertEquals(expected, records.size());
        assertTrue(records.stream().allMatch(r -> ((Number) r.get("passenger_count")).longValue() > 3));
        assertEquals(List.of("pickup_datetime", "passenger_count"),
                records.get(0).getSchema().getFields().stream().map(f -> f.name()).toList());
    }

    @Test
    void theReadmeShowsTheExampleVerbatim() throws Exception {
        String source = Files.readString(Path.of(SOURCE), UTF_8);
        String body = source.substring(source.indexOf("// README-BEGIN\n") + "// README-BEGIN\n".length(), source.indexOf("        // README-END"));
        String readme = Files.readString(Path.of("../README.md"), UTF_8);
        // the README indents the snippet by four spaces less (it starts at the method body's level minus one)
        String shown = body.lines().map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
        assertTrue(readme.contains(shown), "README.md must show the body of " + SOURCE + " verbatim:\n" + shown);
    }
}
