package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.codec.Column;
import dev.spindle.codec.ColumnType;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.commit.Manifest;
import java.util.List;
import org.junit.jupiter.api.Test;

class HiveDdlTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Manifest manifest(String format, TableSchema records, TableSchema partitions) throws Exception {
        Manifest.Counters counters = new Manifest.Counters(0, 0, 0, 0, 0, 0, 0, 0);
        return new Manifest("test", "application_1_0001", format, JSON.readTree(records.toAvroSchema("trips").toString()), counters,
                List.of(), List.of(), partitions == null ? List.of() : partitions.names(), List.of(),
                partitions == null ? null : JSON.readTree(partitions.toAvroSchema("trips_partition").toString()));
    }

    private static final TableSchema RECORDS = new TableSchema(List.of(
            Column.of("medallion", ColumnType.STRING, true),
            Column.of("passenger_count", ColumnType.LONG, false),
            Column.of("trip_distance", ColumnType.DOUBLE, true),
            Column.of("store_and_fwd", ColumnType.BOOLEAN, true),
            Column.of("pickup_datetime", ColumnType.TIMESTAMP_LOCAL, false),
            Column.of("dropoff_at", ColumnType.TIMESTAMP_INSTANT, true)));

    @Test
    void avroPartitionedByTwoTypedColumnsWithTheSchemaUrlAndMsckRepair() throws Exception {
        TableSchema partitions = new TableSchema(List.of(Column.of("vendor_id", ColumnType.STRING, true),
                Column.of("day", ColumnType.DATE, false)));

        assertEquals("""
                CREATE EXTERNAL TABLE `trips` (
                  `medallion` STRING,
                  `passenger_count` BIGINT,
                  `trip_distance` DOUBLE,
                  `store_and_fwd` BOOLEAN,
                  `pickup_datetime` TIMESTAMP,
                  `dropoff_at` TIMESTAMP
                )
                PARTITIONED BY (
                  `vendor_id` STRING,
                  `day` DATE
                )
                STORED AS AVRO
                LOCATION 'hdfs://nn:8020/data/trips'
                TBLPROPERTIES ('avro.schema.url'='hdfs://nn:8020/data/trips/_schema.avsc');
                MSCK REPAIR TABLE `trips`;
                """, HiveDdl.statements(manifest("avro", RECORDS, partitions), "hdfs://nn:8020/data/trips", "trips"));
    }

    @Test
    void parquetWithoutPartitionsHasNoPartitionClauseNorRepair() throws Exception {
        assertEquals("""
                CREATE EXTERNAL TABLE `trips` (
                  `medallion` STRING,
                  `passenger_count` BIGINT,
                  `trip_distance` DOUBLE,
                  `store_and_fwd` BOOLEAN,
                  `pickup_datetime` TIMESTAMP,
                  `dropoff_at` TIMESTAMP
                )
                STORED AS PARQUET
                LOCATION 'file:/tmp/it''s';
                """.replace("''", "\\'"), HiveDdl.statements(manifest("parquet", RECORDS, null), "file:/tmp/it's", "trips"));
    }

    @Test
    void aPartitionedManifestWithoutPartitionTypesIsRefused() throws Exception {
        Manifest.Counters counters = new Manifest.Counters(0, 0, 0, 0, 0, 0, 0, 0);
        Manifest manifest = new Manifest("test", "a", "avro", JSON.readTree(RECORDS.toAvroSchema("trips").toString()), counters,
                List.of(), List.of(), List.of("city"), List.of(), null);
        assertEquals("The manifest names partition columns [city] but not their types: /out",
                assertThrows(IllegalArgumentException.class, () -> HiveDdl.statements(manifest, "/out", "trips")).getMessage());
    }
}
