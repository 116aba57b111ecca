package dev.spindle.io.commit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {

    static Manifest manifest() throws IOException {
        return new Manifest("0.1.0", "application_1795225647249_0001", "avro",
                new ObjectMapper().readTree("{\"type\":\"record\",\"name\":\"trip\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}"),
                new Manifest.Counters(10, 6, 3, 1, 1234, 2, 0, 3),
                List.of(new Manifest.Part("part-00000.avro", 4, 100), new Manifest.Part("part-00001.avro", 2, 80)),
                List.of(new Manifest.Part("_rejects/rejects-00001.jsonl", 1, 300)));
    }

    @Test
    void writesPrettyJsonWithTheContractFieldNamesInOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        manifest().write(out);

        assertEquals("""
                {
                  "spindleVersion" : "0.1.0",
                  "applicationId" : "application_1795225647249_0001",
                  "format" : "avro",
                  "schema" : {
                    "type" : "record",
                    "name" : "trip",
                    "fields" : [ {
                      "name" : "id",
                      "type" : "long"
                    } ]
                  },
                  "counters" : {
                    "rowsRead" : 10,
                    "rowsWritten" : 6,
                    "rowsFiltered" : 3,
                    "rowsRejected" : 1,
                    "bytesRead" : 1234,
                    "blocks" : 2,
                    "blocksRerun" : 0,
                    "attempts" : 3,
                    "blocksRecovered" : 0,
                    "speculativeAttempts" : 0,
                    "s3Retries" : 0,
                    "blocksNodeLocal" : 0
                  },
                  "parts" : [ {
                    "path" : "part-00000.avro",
                    "rows" : 4,
                    "bytes" : 100
                  }, {
                    "path" : "part-00001.avro",
                    "rows" : 2,
                    "bytes" : 80
                  } ],
                  "rejects" : [ {
                    "path" : "_rejects/rejects-00001.jsonl",
                    "rows" : 1,
                    "bytes" : 300
                  } ]
                }
                """, out.toString(UTF_8));
    }

    @Test
    void aManifestWithoutRejectsReadsAsNoRejects() throws IOException {
        String older = "{\"spindleVersion\":\"0.1.0\",\"applicationId\":\"a\",\"format\":\"avro\",\"schema\":{},"
                + "\"counters\":{\"rowsRead\":0,\"rowsWritten\":0,\"rowsFiltered\":0,\"rowsRejected\":0,\"bytesRead\":0,"
                + "\"blocks\":0,\"blocksRerun\":0,\"attempts\":0},\"parts\":[]}";

        assertEquals(List.of(), Manifest.read(new ByteArrayInputStream(older.getBytes(UTF_8))).rejects());
    }

    @Test
    void roundTrips() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        manifest().write(out);

        assertEquals(manifest(), Manifest.read(new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void readingIgnoresFieldsAddedByNewerVersions() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        manifest().write(out);
        String newer = out.toString(UTF_8).replaceFirst("\\{", "{ \"addedLater\" : [1, 2],");

        assertEquals(manifest(), Manifest.read(new ByteArrayInputStream(newer.getBytes(UTF_8))));
    }
}
