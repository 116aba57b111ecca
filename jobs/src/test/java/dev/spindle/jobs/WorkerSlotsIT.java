package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several blocks per worker JVM (issue 16): one worker container of 2 vcores, the default, runs
 * two blocks at once on two threads, and writes what two one-vcore workers write: the same
 * records, counters and rejects.
 */
@ExtendWith(SharedCluster.Resolver.class)
class WorkerSlotsIT {

    /** Every this many rows one has a bad amount: 0.5%, under the default --max-rejects of 1%. */
    private static final int BAD_EVERY = 199;
    private static final Pattern CONTAINER = Pattern.compile("Container: (container_[0-9_e]+)");
    private static final Pattern SLOT_BLOCK = Pattern.compile("Block (\\d+) attempt 1 \\(slot (\\d)\\)");

    @Test
    void oneWorkerOfTwoVcoresRunsBlocksOnBothSlotsAndWritesWhatTwoOneVcoreWorkersWrite(SharedCluster cluster) throws Exception {
        cluster.write("/data/slots/amounts.csv", AmountsCsv.of(12_000, BAD_EVERY));

        // block 0's first attempt sleeps 2 s: the slot that has it is busy while the other runs the rest
        JsonNode slots = run(cluster, "/out/slots/two-slots", "target/slots-two.json",
                "-D", "spindle.test.slow-block=0", "-D", "spindle.test.slow-block-ms=2000");
        JsonNode single = run(cluster, "/out/slots/one-slot-each", "target/slots-single.json", "--containers", "2", "--worker-cores", "1");

        JsonNode counters = cluster.manifest("/out/slots/two-slots").path("counters");
        assertTrue(counters.path("blocks").asInt() >= 4, "several 64 KiB blocks: " + counters);
        assertEquals(counters.path("blocks").asInt(), counters.path("attempts").asInt(), "no attempt re-ran: " + counters);
        assertEquals(12_000 / BAD_EVERY, counters.path("rowsRejected").asLong(), counters.toString());
        assertEquals(counters, cluster.manifest("/out/slots/one-slot-each").path("counters"));
        assertEquals(AmountsCsv.multiset(cluster.avroRecords("/out/slots/one-slot-each")), AmountsCsv.multiset(cluster.avroRecords("/out/slots/two-slots")));
        assertEquals(AmountsCsv.multiset(cluster.rejects("/out/slots/one-slot-each")), AmountsCsv.multiset(cluster.rejects("/out/slots/two-slots")));
        assertEquals(12_000 - 12_000 / BAD_EVERY, cluster.avroRecords("/out/slots/two-slots").size());

        // one worker container ran every block, on both of its slots
        Map<String, String> logs = containerLogs(cluster, slots.path("applicationId").asText());
        Set<String> workers = new TreeSet<>(logs.keySet());
        workers.removeIf(id -> id.endsWith("_000001"));
        assertEquals(1, workers.size(), "one worker container: " + logs.keySet());
        Map<Integer, Integer> slotOfBlock = new HashMap<>();
        Matcher line = SLOT_BLOCK.matcher(logs.get(workers.iterator().next()));
        while (line.find()) {
            slotOfBlock.put(Integer.parseInt(line.group(1)), Integer.parseInt(line.group(2)));
        }
        assertEquals(counters.path("blocks").asInt(), slotOfBlock.size(), "every block ran in that worker: " + slotOfBlock);
        assertEquals(Set.of(0, 1), new TreeSet<>(slotOfBlock.values()), "both slots ran blocks: " + slotOfBlock);
        int slowSlot = slotOfBlock.get(0);
        assertTrue(slotOfBlock.values().stream().filter(slot -> slot != slowSlot).count() >= 2,
                "while block 0 slept, the other slot ran blocks: " + slotOfBlock);
        assertTrue(single.path("phases").has("first_container"), single.toString());
    }

    private static JsonNode run(SharedCluster cluster, String output, String resultJson, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--cluster", cluster.confDir(), "--input", "/data/slots/amounts.csv", "--output", output,
                "--block-size", "64k", "--sample-rows", "16", "--no-uber", "--result-json", resultJson));
        args.addAll(List.of(more));
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", args.toArray(new String[0])));
        assertEquals(0, run.exitCode(), run.toString());
        return new ObjectMapper().readTree(new File(resultJson));
    }

    /** Each container's part of YARN's aggregated logs of the application, once the AM's commit is there. */
    private static Map<String, String> containerLogs(SharedCluster cluster, String applicationId) throws InterruptedException {
        CliRun logs = null;
        for (int i = 0; i < 60; i++) {
            logs = CliRun.of("logs", "--cluster", cluster.confDir(), applicationId);
            if (logs.exitCode() == 0 && logs.out().contains("Committed") && logs.out().contains("(slot 1)")) {
                break;
            }
            Thread.sleep(500);
        }
        assertTrue(logs.out().contains("Committed"), logs.toString());
        Map<String, String> byContainer = new HashMap<>();
        String current = null;
        for (String text : logs.out().lines().toList()) {
            Matcher header = CONTAINER.matcher(text);
            if (text.startsWith("Container: ") && header.find()) {
                current = header.group(1);
            } else if (current != null) {
                byContainer.merge(current, text + "\n", String::concat);
            }
        }
        return byContainer;
    }
}
