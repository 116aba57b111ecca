package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spindle.io.commit.WriteMode;
import org.junit.jupiter.api.Test;

/** The job spec as the client writes it and the AM and workers read it. */
class JobSpecTest {

    private final ObjectMapper json = Protocol.newMapper();

    private static JobSpec spec() {
        return JobSpec.builder("csv-to-avro", ByteCopyTask.class)
                .input("hdfs://nn/in/a.csv").input("hdfs://nn/in/b*.csv").output("hdfs://nn/out")
                .blockSize(64 << 20).containers(5).maxAttempts(4).writeMode(WriteMode.OVERWRITE)
                .task(new CopySpec("UTF-16LE", "a note")).build();
    }

    @Test
    void roundTripsEveryField() throws Exception {
        JobSpec spec = spec();
        JobSpec read = json.readValue(json.writeValueAsBytes(spec), JobSpec.class);
        assertEquals(spec, read);
        assertEquals(JobSpec.SPEC_VERSION, read.specVersion());
        assertEquals(WriteMode.OVERWRITE, read.writeMode());
        assertEquals("OVERWRITE", json.readTree(json.writeValueAsBytes(spec)).path("writeMode").asText());
        assertEquals(new CopySpec("UTF-16LE", "a note"), read.task());
        assertEquals(CopySpec.class.getName(), json.readTree(json.writeValueAsBytes(spec)).path("task").path("@type").asText());
    }

    @Test
    void aTaskOfAnotherSpecTypeIsRefusedWithOneLine() {
        JobSpec spec = JobSpec.builder("copy", ByteCopyTask.class).input("hdfs://nn/in").output("hdfs://nn/out")
                .task(new OtherSpec()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockTasks.instantiate(spec));
        assertEquals("The job spec holds a " + OtherSpec.class.getName() + ", but " + ByteCopyTask.class.getName() + " reads a "
                + CopySpec.class.getName(), e.getMessage());
    }

    record OtherSpec() implements TaskSpec {}

    @Test
    void aSpecOfAnotherVersionFailsWithOneLine() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(json.writeValueAsBytes(spec()));
        tree.put("specVersion", JobSpec.SPEC_VERSION + 1);
        Exception e = assertThrows(Exception.class, () -> json.treeToValue(tree, JobSpec.class));
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().startsWith("Job spec version " + (JobSpec.SPEC_VERSION + 1) + " cannot be read by Spindle "),
                cause.getMessage());
        assertEquals(1, cause.getMessage().lines().count());
    }
}
