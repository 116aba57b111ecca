package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TableSchemaTest {

    private final TableSchema schema = new TableSchema(List.of(
            new Column("flag", "flag", ColumnType.BOOLEAN, false),
            new Column("count", "count", ColumnType.LONG, true),
            new Column("trip_distance", "trip distance", ColumnType.DOUBLE, true),
            new Column("day", "day", ColumnType.DATE, false),
            new Column("local", "local", ColumnType.TIMESTAMP_LOCAL, true),
            new Column("instant", "instant", ColumnType.TIMESTAMP_INSTANT, false),
            new Column("name", "name", ColumnType.STRING, true)));

    @Test
    void avroMapping() {
        Schema avro = schema.toAvroSchema("trip");
        assertEquals("{\"type\":\"record\",\"name\":\"trip\",\"fields\":["
                + "{\"name\":\"flag\",\"type\":\"boolean\"},"
                + "{\"name\":\"count\",\"type\":[\"null\",\"long\"],\"default\":null},"
                + "{\"name\":\"trip_distance\",\"type\":[\"null\",\"double\"],\"default\":null,\"spindle.original-name\":\"trip distance\"},"
                + "{\"name\":\"day\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                + "{\"name\":\"local\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}],\"default\":null},"
                + "{\"name\":\"instant\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                + "{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null}]}", avro.toString());
        assertEquals(schema, TableSchema.fromAvroSchema(avro));
        assertEquals(schema, TableSchema.fromAvroSchema(new Schema.Parser().parse(avro.toString())));
    }

    @Test
    void arrowMapping() {
        org.apache.arrow.vector.types.pojo.Schema arrow = schema.toArrowSchema();
        List<String> fields = new java.util.ArrayList<>();
        arrow.getFields().forEach(f -> fields.add(f.getName() + ": " + f.getType() + (f.isNullable() ? "" : " not null")));
        assertEquals(List.of("flag: Bool not null", "count: Int(64, true)", "trip_distance: FloatingPoint(DOUBLE)",
                "day: Date(DAY) not null", "local: Timestamp(MICROSECOND, null)", "instant: Timestamp(MICROSECOND, UTC) not null",
                "name: Utf8"), fields);
        assertEquals(java.util.Map.of(TableSchema.ORIGINAL_NAME_PROPERTY, "trip distance"), arrow.getFields().get(2).getMetadata());
    }

    @Test
    void lookupListsValidNames() {
        assertEquals(2, schema.indexOf("trip_distance"));
        assertEquals(-1, schema.indexOf("nope"));
        assertEquals("trip_distance", schema.column("trip distance").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> schema.column("nope"));
        assertEquals("No column 'nope'; valid names: [flag, count, trip_distance, day, local, instant, name]", e.getMessage());
    }

    @Test
    void rejectsUnsupportedAvroType() {
        Schema avro = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"f\",\"type\":{\"type\":\"array\",\"items\":\"long\"}}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableSchema.fromAvroSchema(avro));
        assertEquals("Unsupported Avro type for field 'f': {\"type\":\"array\",\"items\":\"long\"}; supported: boolean, int, long, float, double, string, int+date, "
                + "long+local-timestamp-millis or -micros, long+timestamp-millis or -micros, bytes or fixed+decimal (precision at most 38), "
                + "bytes, fixed, enum (as string), each optionally in a union with null", e.getMessage());
    }

    @Test
    void rejectsDuplicateNamesAndInvalidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TableSchema(List.of(Column.of("a", ColumnType.LONG, false), Column.of("a", ColumnType.LONG, false))));
        assertEquals("Duplicate column name 'a' at #0 and #1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Column.of("1a", ColumnType.LONG, false));
        assertEquals("Column name is not a valid Avro name: \"1a\" (must match [A-Za-z_][A-Za-z0-9_]*)", e.getMessage());
    }
}
