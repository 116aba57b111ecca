package dev.spindle.codec;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Loads Avro {@link GenericRecord}s (as read back from Avro or Parquet files) into a reused
 * Arrow batch. Used by the readers, which serve tests and inspection, not the hot path.
 */
final class GenericRecordLoader implements AutoCloseable {

    private final TableSchema schema;
    private final VectorSchemaRoot root;
    private final FieldVector[] vectors;
    private int rows;

    GenericRecordLoader(TableSchema schema, BufferAllocator allocator) {
        this.schema = schema;
        this.root = VectorSchemaRoot.create(schema.toArrowSchema(), allocator);
        this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
    }

    VectorSchemaRoot root() {
        return root;
    }

    void start() {
        for (FieldVector vector : vectors) {
            vector.reset();
        }
        rows = 0;
    }

    /** Appends one record; values are positional (field i is column i). */
    void add(GenericRecord record) {
        for (int i = 0; i < vectors.length; i++) {
            Object value = record.get(i);
            if (value == null) {
                if (!schema.column(i).nullable()) {
                    throw new IllegalArgumentException("Null value in non-nullable column '" + schema.column(i).name() + "' (#" + i + ") at row " + rows);
                }
                setNull(vectors[i], rows);
                continue;
            }
            switch (schema.column(i).type()) {
                case BOOLEAN:
                    ((BitVector) vectors[i]).setSafe(rows, (Boolean) value ? 1 : 0);
                    break;
                case LONG:
                    ((BigIntVector) vectors[i]).setSafe(rows, ((Number) value).longValue());
                    break;
                case DOUBLE:
                    ((Float8Vector) vectors[i]).setSafe(rows, ((Number) value).doubleValue());
                    break;
                case DATE:
                    ((DateDayVector) vectors[i]).setSafe(rows, ((Number) value).intValue());
                    break;
                case TIMESTAMP_LOCAL:
                    ((TimeStampMicroVector) vectors[i]).setSafe(rows, micros(schema.column(i), value));
                    break;
                case TIMESTAMP_INSTANT:
                    ((TimeStampMicroTZVector) vectors[i]).setSafe(rows, micros(schema.column(i), value));
                    break;
                case STRING: {
                    if (value instanceof Utf8) {
                        Utf8 utf8 = (Utf8) value;
                        ((VarCharVector) vectors[i]).setSafe(rows, utf8.getBytes(), 0, utf8.getByteLength());
                    } else {
                        byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
                        ((VarCharVector) vectors[i]).setSafe(rows, bytes, 0, bytes.length);
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("Unknown type " + schema.column(i).type());
            }
        }
        rows++;
    }

    private static void setNull(FieldVector vector, int row) {
        while (row >= vector.getValueCapacity()) {
            vector.reAlloc();
        }
        vector.setNull(row);
    }

    int finish() {
        for (FieldVector vector : vectors) {
            vector.setValueCount(rows);
        }
        root.setRowCount(rows);
        return rows;
    }

    @Override
    public void close() {
        root.close();
    }

    /** A timestamp value of the file in the vectors' unit, microseconds. */
    private static long micros(Column column, Object value) {
        long v = ((Number) value).longValue();
        return column.millis() ? Math.multiplyExact(v, 1000L) : v;
    }
}
