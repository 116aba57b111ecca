package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Uber mode (issue 16): a job small enough runs its blocks inside the ApplicationMaster, and
 * writes what the same job writes in worker containers ({@code --no-uber}): the same records,
 * counters and rejects, with no worker container started.
 */
@ExtendWith(SharedCluster.Resolver.class)
class UberModeIT {

    /** Every this many rows one has a bad amount: 0.5%, under the default --max-rejects of 1%. */
    private static final int BAD_EVERY = 199;
    private static final Pattern CONTAINER = Pattern.compile("container_[0-9_e]+");

    @Test
    void aSmallJobInTheAmWritesWhatWorkerContainersWriteAndStartsNoContainer(SharedCluster cluster) throws Exception {
        cluster.write("/data/uber/amounts.csv", AmountsCsv.of(9_000, BAD_EVERY));

        JsonNode uber = run(cluster, "/out/uber/in-am", "target/uber-in-am.json");
        JsonNode workers = run(cluster, "/out/uber/workers", "target/uber-workers.json", "--no-uber");

        assertTrue(uber.path("uber").asBoolean(), uber.toString());
        assertFalse(workers.path("uber").asBoolean(), workers.toString());
        JsonNode counters = cluster.manifest("/out/uber/in-am").path("counters");
        assertEquals(3, counters.path("blocks").asInt(), "three 64 KiB blocks: " + counters);
        assertEquals(9_000 / BAD_EVERY, counters.path("rowsRejected").asLong(), counters.toString());
        assertEquals(counters, cluster.manifest("/out/uber/workers").path("counters"));
        assertEquals(counters, uber.path("counters"), "the result file's counters are the manifest's");

        assertEquals(AmountsCsv.multiset(cluster.avroRecords("/out/uber/workers")), AmountsCsv.multiset(cluster.avroRecords("/out/uber/in-am")));
        assertEquals(AmountsCsv.multiset(cluster.rejects("/out/uber/workers")), AmountsCsv.multiset(cluster.rejects("/out/uber/in-am")));
        assertEquals(9_000 - 9_000 / BAD_EVERY, cluster.avroRecords("/out/uber/in-am").size());

        // the AM's own runner asked for the blocks; no container was granted besides the AM's
        assertFalse(uber.path("phases").has("first_container"), uber.toString());
        assertTrue(uber.path("phases").has("first_worker"), uber.toString());
        assertTrue(workers.path("phases").has("first_container"), workers.toString());
        assertEquals(1, containers(cluster, uber.path("applicationId").asText()).size(), "only the AM's container ran");
    }

    private static JsonNode run(SharedCluster cluster, String output, String resultJson, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--cluster", cluster.confDir(), "--input", "/data/uber/amounts.csv", "--output", output,
                "--block-size", "64k", "--sample-rows", "16", "--containers", "2", "--result-json", resultJson));
        args.addAll(List.of(more));
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", args.toArray(new String[0])));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().contains("block 2 done"), "the driver sees the blocks done: " + run);
        assertEquals(more.length == 0, run.out().contains("ran in the ApplicationMaster"), run.toString());
        return new ObjectMapper().readTree(new File(resultJson));
    }

    /** The containers YARN's aggregated logs of the application name, once the AM's log is there. */
    private static Set<String> containers(SharedCluster cluster, String applicationId) throws InterruptedException {
        CliRun logs = null;
        for (int i = 0; i < 60; i++) {
            logs = CliRun.of("logs", "--cluster", cluster.confDir(), applicationId);
            if (logs.exitCode() == 0 && logs.out().contains("Committed")) {
                break;
            }
            Thread.sleep(500);
        }
        assertTrue(logs.out().contains("Committed"), logs.toString());
        Set<String> containers = new TreeSet<>();
        for (String line : logs.out().lines().filter(l -> l.startsWith("Container: ")).toList()) {
            Matcher id = CONTAINER.matcher(line);
            if (id.find()) {
                containers.add(id.group());
            }
        }
        assertTrue(containers.stream().allMatch(c -> c.endsWith("_000001")), "the AM's container only: " + containers);
        return containers;
    }
}
