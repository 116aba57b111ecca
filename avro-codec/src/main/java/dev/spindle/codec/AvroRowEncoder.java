package dev.spindle.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Encodes Arrow rows as Avro binary datums, straight from the vectors' buffers.
 *
 * <p><b>HOT LOOP: trades readability for speed.</b> Reads the vectors' memory directly (the
 * batch is bound first and row indices are checked by the caller) and writes zig-zag varints,
 * little-endian doubles and length-prefixed bytes into one growing {@code byte[]}; no
 * {@code GenericRecord}, no per-row allocation. The encoding is Avro's binary encoding (spec 1.12, "Binary
 * Encoding"): a nullable column is the union {@code ["null", T]}, so branch 0 (null) or 1 then
 * the value.
 */
final class AvroRowEncoder {

    private static final VarHandle NATIVE_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final TableSchema schema;
    private final int[] types;
    private final boolean[] nullable;
    private final long[] dataAddress;
    private final long[] offsetAddress;
    private final long[] validityAddress;
    private final int maxFixedBytes;
    byte[] buffer = new byte[1 << 16];
    int length;

    AvroRowEncoder(TableSchema schema) {
        this.schema = schema;
        int n = schema.size();
        this.types = new int[n];
        this.nullable = new boolean[n];
        for (int i = 0; i < n; i++) {
            types[i] = schema.column(i).type().ordinal();
            nullable[i] = schema.column(i).nullable();
        }
        this.dataAddress = new long[n];
        this.offsetAddress = new long[n];
        this.validityAddress = new long[n];
        this.maxFixedBytes = 11 * n;
    }

    /**
     * Binds the encoder to a batch: each projected column is looked up by name.
     *
     * @throws IllegalArgumentException when a column is missing or has another Arrow type
     */
    void bind(VectorSchemaRoot batch) {
        for (int i = 0; i < types.length; i++) {
            Column column = schema.column(i);
            FieldVector vector = batch.getVector(column.name());
            if (vector == null) {
                throw new IllegalArgumentException("Batch has no column '" + column.name() + "'; batch columns: " + batch.getSchema().getFields().stream().map(f -> f.getName()).toList());
            }
            if (vector.getValueCount() < batch.getRowCount()) {
                throw new IllegalArgumentException("Column '" + column.name() + "' holds " + vector.getValueCount() + " values but the batch has " + batch.getRowCount() + " rows");
            }
            if (!vector.getField().getType().equals(TableSchema.arrowType(column.type()))) {
                throw new IllegalArgumentException("Column '" + column.name() + "' is " + vector.getField().getType() + " in the batch but " + column.type().displayName() + " in the schema");
            }
            dataAddress[i] = vector.getDataBuffer().memoryAddress();
            validityAddress[i] = vector.getValidityBuffer().memoryAddress();
            offsetAddress[i] = vector instanceof VarCharVector ? vector.getOffsetBuffer().memoryAddress() : 0;
        }
    }

    /**
     * Appends row {@code row} of the bound batch to {@code buffer[0..length)}: the buffer collects
     * a whole container block; the caller sets {@code length} to 0 after writing the block.
     */
    void encode(int row) {
        // fixed-size parts: at most 1 union byte + 10 varint bytes per column
        int p = length;
        if (buffer.length - p < maxFixedBytes) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, p + maxFixedBytes));
        }
        for (int i = 0; i < types.length; i++) {
            boolean isNull = (MemoryUtil.getByte(validityAddress[i] + (row >> 3)) & (1 << (row & 7))) == 0;
            if (nullable[i]) {
                if (isNull) {
                    buffer[p++] = 0;
                    continue;
                }
                buffer[p++] = 2; // zig-zag of branch 1
            } else if (isNull) {
                throw new IllegalArgumentException("Null value at row " + row + " in non-nullable column '" + schema.column(i).name() + "' (#" + i + ")");
            }
            switch (types[i]) {
                case 1: // LONG
                case 4: // TIMESTAMP_LOCAL
                case 5: // TIMESTAMP_INSTANT
                    p = writeLong(buffer, p, MemoryUtil.getLong(dataAddress[i] + ((long) row << 3)));
                    break;
                case 2: { // DOUBLE: IEEE bits, little-endian
                    long bits = MemoryUtil.getLong(dataAddress[i] + ((long) row << 3));
                    byte[] b = buffer;
                    b[p] = (byte) bits;
                    b[p + 1] = (byte) (bits >>> 8);
                    b[p + 2] = (byte) (bits >>> 16);
                    b[p + 3] = (byte) (bits >>> 24);
                    b[p + 4] = (byte) (bits >>> 32);
                    b[p + 5] = (byte) (bits >>> 40);
                    b[p + 6] = (byte) (bits >>> 48);
                    b[p + 7] = (byte) (bits >>> 56);
                    p += 8;
                    break;
                }
                case 3: // DATE
                    p = writeLong(buffer, p, MemoryUtil.getInt(dataAddress[i] + ((long) row << 2)));
                    break;
                case 0: // BOOLEAN
                    buffer[p++] = (byte) ((MemoryUtil.getByte(dataAddress[i] + (row >> 3)) >> (row & 7)) & 1);
                    break;
                case 6: { // STRING: length, then UTF-8 bytes
                    long offsets = offsetAddress[i] + ((long) row << 2);
                    int start = MemoryUtil.getInt(offsets);
                    int n = MemoryUtil.getInt(offsets + 4) - start;
                    p = writeLong(buffer, p, n);
                    if (p + n + maxFixedBytes > buffer.length) {
                        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, p + n + maxFixedBytes));
                    }
                    copyFromNative(dataAddress[i] + start, buffer, p, n);
                    p += n;
                    break;
                }
                default:
                    throw new IllegalStateException("Unknown type code " + types[i]);
            }
        }
        length = p;
    }

    /** Copies short values with 8-byte moves; Unsafe.copyMemory's checks cost more than they copy. */
    private static void copyFromNative(long source, byte[] target, int start, int length) {
        if (length >= 64) {
            MemoryUtil.copyFromMemory(source, target, start, length);
            return;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            NATIVE_LONGS.set(target, start + i, MemoryUtil.getLong(source + i));
        }
        for (; i < length; i++) {
            target[start + i] = MemoryUtil.getByte(source + i);
        }
    }

    private static int writeLong(byte[] b, int p, long value) {
        long n = (value << 1) ^ (value >> 63);
        if ((n & ~0x7FL) == 0) {
            b[p] = (byte) n;
            return p + 1;
        }
        while ((n & ~0x7FL) != 0) {
            b[p++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        b[p++] = (byte) n;
        return p;
    }
}
