package dev.spindle.codec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.Column;
import dev.spindle.codec.ColumnType;
import dev.spindle.codec.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** The benchmark data infers to all 14 typed columns and converts without bad records. */
class TaxiCsvTest {

    @Test
    void benchmarkDataIsFullyTyped() {
        byte[] csv = TaxiCsv.records(1 << 20, 42);
        TableSchema schema = InferBenchmark.infer(csv, TaxiCsv.HEADER.getBytes(StandardCharsets.US_ASCII));
        List<String> types = new ArrayList<>();
        for (Column column : schema.columns()) {
            types.add(column.name() + ":" + column.type() + (column.nullable() ? "?" : ""));
        }
        assertEquals(List.of("medallion:STRING", "hack_license:STRING", "vendor_id:STRING", "rate_code:LONG",
                "store_and_fwd_flag:STRING?", "pickup_datetime:TIMESTAMP_LOCAL", "dropoff_datetime:TIMESTAMP_LOCAL",
                "passenger_count:LONG", "trip_time_in_secs:LONG", "trip_distance:DOUBLE", "pickup_longitude:DOUBLE",
                "pickup_latitude:DOUBLE", "dropoff_longitude:DOUBLE", "dropoff_latitude:DOUBLE"), types);
        assertEquals(ColumnType.TIMESTAMP_LOCAL, schema.column("pickup_datetime").type());
        try (RootAllocator allocator = new RootAllocator()) {
            try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).badRecords(b -> {
                throw new AssertionError(b.message());
            }).build()) {
                builder.reset(csv, 0, csv.length, 0, 2);
                while (builder.next()) {
                    // convert everything
                }
                assertEquals(builder.recordsIn(), builder.rowsOut());
            }
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }
}
