package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.codec.Column;
import dev.spindle.codec.ColumnType;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.TableSchema;
import dev.spindle.codec.TimestampUnit;
import dev.spindle.io.commit.WriteMode;
import dev.spindle.jobs.filter.FilterExpression;
import dev.spindle.yarn.JobSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The CSV jobs' typed spec as the client writes it inside a {@link JobSpec} and the AM and the
 * workers read it: every field survives, a filter with every operator and literal, a schema with
 * every column type and timestamp unit.
 */
class CsvJobSpecTest {

    /** The mapper the AM and the workers read specs with: plain Jackson, nothing registered. */
    private final ObjectMapper json = new ObjectMapper();

    private static final String EVERY_OPERATOR = "a = 1 AND b != 'x''y' AND c < -2.50 AND d <= 1e9 AND e > TRUE AND f >= '2024-01-31'"
            + " AND (g IS NULL OR h IS NOT NULL OR i IN (1, 2, 3) OR j NOT IN ('p', 'q') OR NOT (k = FALSE AND l <> 0.1))";

    private static Schema everyType() {
        List<Column> columns = new ArrayList<>();
        for (ColumnType type : ColumnType.values()) {
            if (type.isCsvType()) {
                columns.add(Column.of(type.name().toLowerCase(java.util.Locale.ROOT), type, false));
                columns.add(Column.of(type.name().toLowerCase(java.util.Locale.ROOT) + "_or_null", type, true));
            }
        }
        columns.add(Column.decimal("decimal", "decimal", false, 38, 10));
        columns.add(Column.decimal("decimal_or_null", "decimal_or_null", true, 9, 2));
        columns.add(new Column("micros", "Micros (µs)", ColumnType.TIMESTAMP_LOCAL, true).withTimestampUnit(TimestampUnit.MICROS));
        columns.add(Column.of("utc_micros", ColumnType.TIMESTAMP_INSTANT, true).withTimestampUnit(TimestampUnit.MICROS));
        return new TableSchema(columns).toAvroSchema("trips");
    }

    private static CsvJobSpec everyField() {
        CsvDialect dialect = CsvDialect.builder().delimiter('|').quote('\'').escapeMode(CsvDialect.EscapeMode.BACKSLASH).withoutHeader()
                .nullTokens(List.of("NULL", "\\N", "")).commentPrefix("#").build();
        return CsvJobSpec.builder().dialect(dialect).encoding("windows-1252").schema(everyType())
                .select(List.of("long", "string_or_null")).filter(FilterExpression.parse(EVERY_OPERATOR))
                .format(OutputFormat.PARQUET).codec("zstd").onBadRecord(BadRecordPolicy.SKIP)
                .maxRejects(RejectLimit.parse("0.5%")).maxRecordBytes(1 << 20).sampleRows(777).skipLines(3).build();
    }

    private JobSpec job(CsvJobSpec task) {
        return JobSpec.builder("csv-to-parquet", CsvConversionTask.class).input("hdfs://nn/in/a.csv").input("hdfs://nn/in/b*.csv")
                .output("hdfs://nn/out").blockSize(64 << 20).containers(5).maxAttempts(4).writeMode(WriteMode.OVERWRITE)
                .task(task).build();
    }

    @Test
    void everyFieldSurvivesTheJobSpecsJson() throws Exception {
        CsvJobSpec task = everyField();
        JobSpec read = json.readValue(json.writeValueAsBytes(job(task)), JobSpec.class);

        assertEquals(job(task), read);
        CsvJobSpec back = (CsvJobSpec) read.task();
        assertNotSame(task, back);
        assertEquals(task.dialect(), back.dialect());
        assertEquals("windows-1252", back.encoding());
        assertEquals(java.nio.charset.Charset.forName("windows-1252"), back.dialect().charset());
        assertEquals(task.schema(), back.schema());
        assertEquals(TableSchema.fromAvroSchema(everyType()), back.table().orElseThrow());
        assertEquals(task.filter(), back.filter());
        assertEquals(FilterExpression.parse(EVERY_OPERATOR).toString(), back.filter().toString());
        assertEquals(List.of("long", "string_or_null"), back.select());
        assertEquals(OutputFormat.PARQUET, back.format());
        assertEquals("zstd", back.codec());
        assertEquals(BadRecordPolicy.SKIP, back.onBadRecord());
        assertEquals("0.5%", back.maxRejects().toString());
        assertEquals(1 << 20, back.maxRecordBytes());
        assertEquals(777, back.sampleRows());
        assertEquals(3, back.skipLines());
        assertEquals(task.recordFormat(), back.recordFormat());
        assertEquals(task.inputEncodings().toString(), back.inputEncodings().toString());
        assertEquals(InputFormat.CSV, back.inputFormat());
        CsvJobSpec parquet = CsvJobSpec.builder().inputFormat(InputFormat.PARQUET).select(List.of("a")).build();
        assertEquals(parquet, json.readValue(json.writeValueAsBytes(job(parquet)), JobSpec.class).task());
    }

    @Test
    void defaultsSurviveToo() throws Exception {
        CsvJobSpec task = CsvJobSpec.builder().build();
        CsvJobSpec back = (CsvJobSpec) json.readValue(json.writeValueAsBytes(job(task)), JobSpec.class).task();
        assertEquals(task, back);
        assertEquals(CsvDialect.defaults(), back.dialect());
        assertEquals(null, back.schema());
        assertEquals(null, back.filter());
        assertEquals("deflate", back.codec());
        assertTrue(back.recordByteLimit().isEmpty());
        assertEquals(InputFormat.CSV, back.inputFormat());
        String withoutFormat = json.writeValueAsString(job(task)).replace(",\"inputFormat\":\"CSV\"", "");
        assertTrue(!withoutFormat.contains("inputFormat"), withoutFormat);
        assertEquals(InputFormat.CSV, ((CsvJobSpec) json.readValue(withoutFormat, JobSpec.class).task()).inputFormat(), "a spec without the field is CSV");
    }

    @Test
    void theJsonIsReadableByAPerson() throws Exception {
        JsonNode task = json.readTree(json.writeValueAsBytes(job(everyField()))).path("task");
        assertEquals(CsvJobSpec.class.getName(), task.path("@type").asText());
        assertEquals("|", task.path("dialect").path("delimiter").asText());
        assertEquals("backslash", task.path("dialect").path("escape").asText());
        // the schema is the Avro schema's own JSON, not a string holding it
        assertEquals("record", task.path("schema").path("type").asText());
        assertEquals("trips", task.path("schema").path("name").asText());
        // the filter is its expression tree
        assertEquals("and", task.path("filter").path("node").asText());
        assertEquals("compare", task.path("filter").path("operands").path(0).path("node").asText());
        assertEquals("EQ", task.path("filter").path("operands").path(0).path("op").asText());
        assertEquals("number", task.path("filter").path("operands").path(0).path("literal").path("type").asText());
    }

    @Test
    void thePreparedSpecCarriesTheSchemaAndKeepsTheRest() {
        CsvJobSpec client = CsvJobSpec.builder().filter(FilterExpression.parse("a > 3")).build();
        CsvJobSpec prepared = client.withSchema(everyType());
        assertEquals(everyType(), prepared.schema());
        assertEquals(client, new CsvJobSpec(prepared.dialect(), prepared.encoding(), null, prepared.select(), prepared.drop(),
                prepared.filter(), prepared.format(), prepared.codec(), prepared.onBadRecord(), prepared.maxRejects(),
                prepared.maxRecordBytes(), prepared.sampleRows(), prepared.skipLines(), prepared.partitionBy(), prepared.inputFormat()));
    }

    @Test
    void invalidSpecsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CsvJobSpec.builder().select(List.of("a")).drop(List.of("b")).build());
        assertThrows(IllegalArgumentException.class, () -> CsvJobSpec.builder().sampleRows(0).build());
        assertThrows(IllegalArgumentException.class, () -> CsvJobSpec.builder().skipLines(-1).build());
        assertThrows(IllegalArgumentException.class, () -> CsvJobSpec.builder().maxRecordBytes(0).build());
        assertThrows(IllegalArgumentException.class, () -> CsvJobSpec.builder().schema(Schema.create(Schema.Type.STRING)).build());
    }
}
