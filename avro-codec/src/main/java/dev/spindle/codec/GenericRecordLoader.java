package dev.spindle.codec;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.generic.GenericFixed;
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
    /** Per decimal column, 10^precision: an unscaled value's magnitude must be below it. */
    private final BigInteger[] decimalLimits;
    private int rows;

    GenericRecordLoader(TableSchema schema, BufferAllocator allocator) {
        this.schema = schema;
        this.root = VectorSchemaRoot.create(schema.toArrowSchema(), allocator);
        this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
        this.decimalLimits = new BigInteger[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            if (schema.column(i).type() == ColumnType.DECIMAL) {
                decimalLimits[i] = BigInteger.TEN.pow(schema.column(i).precision());
            }
        }
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
                case DECIMAL:
                    setDecimal(i, value);
                    break;
                case INT:
                    ((IntVector) vectors[i]).setSafe(rows, (Integer) value);
                    break;
                case FLOAT:
                    ((Float4Vector) vectors[i]).setSafe(rows, (Float) value);
                    break;
                case BYTES:
                    if (value instanceof ByteBuffer buffer) {
                        ((VarBinaryVector) vectors[i]).setSafe(rows, buffer, buffer.position(), buffer.remaining());
                    } else {
                        byte[] bytes = ((GenericFixed) value).bytes();
                        ((VarBinaryVector) vectors[i]).setSafe(rows, bytes, 0, bytes.length);
                    }
                    break;
                default:
                    throw new IllegalStateException("Unknown type " + schema.column(i).type());
            }
        }
        rows++;
    }

    /**
     * Sets a decimal from its unscaled value: big-endian two's complement bytes (Avro bytes or
     * fixed) or an int or long (Parquet INT32 or INT64 DECIMAL), refusing one of more digits
     * than the column's precision.
     */
    private void setDecimal(int column, Object value) {
        DecimalVector vector = (DecimalVector) vectors[column];
        BigInteger unscaled;
        byte[] bytes = null;
        if (value instanceof ByteBuffer buffer) {
            bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            unscaled = bytes.length == 0 ? BigInteger.ZERO : new BigInteger(bytes);
        } else if (value instanceof GenericFixed fixed) {
            bytes = fixed.bytes();
            unscaled = bytes.length == 0 ? BigInteger.ZERO : new BigInteger(bytes);
        } else if (value instanceof Integer || value instanceof Long) {
            unscaled = BigInteger.valueOf(((Number) value).longValue());
        } else {
            throw new IllegalArgumentException("Decimal column '%s' (#%d) holds a %s at row %d".formatted(schema.column(column).name(), column,
                    value.getClass().getSimpleName(), rows));
        }
        if (unscaled.abs().compareTo(decimalLimits[column]) >= 0) {
            Column c = schema.column(column);
            throw new IllegalArgumentException("Value %s at row %d of column '%s' (#%d) has more digits than its type %s".formatted(
                    new java.math.BigDecimal(unscaled, c.scale()).toPlainString(), rows, c.name(), column, c.typeDescription()));
        }
        if (bytes == null || bytes.length > 16) {
            // a long, or a value of at most 38 digits with redundant sign bytes
            bytes = unscaled.toByteArray();
        }
        if (bytes.length == 0) {
            bytes = new byte[1];
        }
        vector.setBigEndianSafe(rows, bytes);
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
