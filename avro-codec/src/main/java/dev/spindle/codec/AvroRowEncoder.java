package dev.spindle.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
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
    private static final VarHandle LITTLE_ENDIAN_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LITTLE_ENDIAN_INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    // per column and batch: how the value is preceded
    private static final int MODE_PLAIN = 0;             // not nullable, batch has no nulls
    private static final int MODE_UNION_NO_NULLS = 1;    // nullable, batch has no nulls: branch 1
    private static final int MODE_UNION = 2;             // nullable: branch 0 or 1 by validity
    private static final int MODE_CHECK_NOT_NULL = 3;    // not nullable, batch has nulls: refuse them

    private final TableSchema schema;
    private final int[] types;
    private final boolean[] nullable;
    private final boolean[] millis;
    private final int[] modes;
    private final long[] dataAddress;
    private final long[] offsetAddress;
    private final long[] validityAddress;
    private final long[] dataCapacity;
    private final int maxFixedBytes;
    byte[] buffer = new byte[1 << 16];
    int length;

    AvroRowEncoder(TableSchema schema) {
        this.schema = schema;
        int n = schema.size();
        this.types = new int[n];
        this.nullable = new boolean[n];
        this.millis = new boolean[n];
        this.modes = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = schema.column(i).type().ordinal();
            nullable[i] = schema.column(i).nullable();
            millis[i] = schema.column(i).millis();
        }
        this.dataAddress = new long[n];
        this.offsetAddress = new long[n];
        this.validityAddress = new long[n];
        this.dataCapacity = new long[n];
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
            if (!vector.getField().getType().equals(TableSchema.arrowType(column))) {
                throw new IllegalArgumentException("Column '" + column.name() + "' is " + vector.getField().getType() + " in the batch but " + column.type().displayName() + " in the schema");
            }
            dataAddress[i] = vector.getDataBuffer().memoryAddress();
            dataCapacity[i] = vector.getDataBuffer().capacity();
            validityAddress[i] = vector.getValidityBuffer().memoryAddress();
            offsetAddress[i] = vector instanceof org.apache.arrow.vector.BaseVariableWidthVector ? vector.getOffsetBuffer().memoryAddress() : 0;
            boolean hasNulls = vector.getNullCount() > 0;
            modes[i] = nullable[i] ? (hasNulls ? MODE_UNION : MODE_UNION_NO_NULLS) : (hasNulls ? MODE_CHECK_NOT_NULL : MODE_PLAIN);
        }
    }

    /**
     * Appends rows {@code selection[from..to)} (rows {@code from..to} themselves when
     * {@code selection} is null) of the bound batch to {@code buffer[0..length)}, stopping early
     * once the buffer holds at least {@code limitBytes}. The buffer collects a whole container
     * block; the caller sets {@code length} to 0 after writing it. Row indices must be valid.
     *
     * @return the index after the last encoded row
     * @throws IllegalArgumentException when a non-nullable column holds a null in an encoded row
     */
    int encode(int[] selection, int from, int to, int limitBytes) {
        final int columns = types.length;
        final int[] type = this.types;
        final int[] mode = this.modes;
        final long[] data = this.dataAddress;
        final long[] validity = this.validityAddress;
        byte[] b = buffer;
        int p = length;
        int i = from;
        while (i < to) {
            final int row = selection == null ? i : selection[i];
            i++;
            // fixed-size parts: at most 1 union byte + 10 varint bytes per column
            if (b.length - p < maxFixedBytes) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, p + maxFixedBytes));
            }
            for (int c = 0; c < columns; c++) {
                switch (mode[c]) {
                    case MODE_PLAIN:
                        break;
                    case MODE_UNION_NO_NULLS:
                        b[p++] = 2; // zig-zag of union branch 1
                        break;
                    default: {
                        boolean isNull = (MemoryUtil.getByte(validity[c] + (row >> 3)) & (1 << (row & 7))) == 0;
                        if (mode[c] == MODE_UNION) {
                            if (isNull) {
                                b[p++] = 0;
                                continue;
                            }
                            b[p++] = 2;
                        } else if (isNull) {
                            buffer = b;
                            throw new IllegalArgumentException("Null value at row " + row + " in non-nullable column '" + schema.column(c).name() + "' (#" + c + ")");
                        }
                        break;
                    }
                }
                switch (type[c]) {
                    case 1: // LONG
                        p = writeLong(b, p, MemoryUtil.getLong(data[c] + ((long) row << 3)));
                        break;
                    case 4: // TIMESTAMP_LOCAL
                    case 5: { // TIMESTAMP_INSTANT: micros in the vector, millis or micros in the file
                        long micros = MemoryUtil.getLong(data[c] + ((long) row << 3));
                        if (millis[c]) {
                            if (micros % 1000 != 0) {
                                buffer = b;
                                throw new IllegalArgumentException("Timestamp of " + micros + " microseconds at row " + row + " in column '"
                                        + schema.column(c).name() + "' (#" + c + "), which is in milliseconds: the fraction would be lost");
                            }
                            micros /= 1000;
                        }
                        p = writeLong(b, p, micros);
                        break;
                    }
                    case 2: // DOUBLE: IEEE bits, little-endian
                        LITTLE_ENDIAN_LONGS.set(b, p, MemoryUtil.getLong(data[c] + ((long) row << 3)));
                        p += 8;
                        break;
                    case 3: // DATE
                        p = writeLong(b, p, MemoryUtil.getInt(data[c] + ((long) row << 2)));
                        break;
                    case 0: // BOOLEAN
                        b[p++] = (byte) ((MemoryUtil.getByte(data[c] + (row >> 3)) >> (row & 7)) & 1);
                        break;
                    case 6: // STRING: length, then UTF-8 bytes
                    case 10: { // BYTES: the same
                        long offsets = offsetAddress[c] + ((long) row << 2);
                        int start = MemoryUtil.getInt(offsets);
                        int n = MemoryUtil.getInt(offsets + 4) - start;
                        p = writeLong(b, p, n);
                        if (p + n + maxFixedBytes > b.length) {
                            b = Arrays.copyOf(b, Math.max(b.length * 2, p + n + maxFixedBytes));
                        }
                        if (n <= 32 && start + 32 <= dataCapacity[c] && p + 32 <= b.length) {
                            // short value, room on both sides: 32 bytes at once, the bytes past
                            // the value are overwritten by the next value or lie past length
                            copy32FromNative(data[c] + start, b, p);
                        } else {
                            copyFromNative(data[c] + start, b, p, n);
                        }
                        p += n;
                        break;
                    }
                    case 7: { // DECIMAL: length, then the unscaled value's big-endian two's complement bytes
                        if (p + 17 + maxFixedBytes > b.length) {
                            b = Arrays.copyOf(b, Math.max(b.length * 2, p + 17 + maxFixedBytes));
                        }
                        long address = data[c] + ((long) row << 4);
                        long low = MemoryUtil.getLong(address);
                        long high = MemoryUtil.getLong(address + 8);
                        int n = decimalLength(low, high);
                        b[p++] = (byte) (n << 1); // zig-zag varint of 1..16: one byte
                        putDecimal(low, high, n, b, p);
                        p += n;
                        break;
                    }
                    case 8: // INT: zig-zag varint, as a long
                        p = writeLong(b, p, MemoryUtil.getInt(data[c] + ((long) row << 2)));
                        break;
                    case 9: // FLOAT: IEEE bits, little-endian
                        LITTLE_ENDIAN_INTS.set(b, p, MemoryUtil.getInt(data[c] + ((long) row << 2)));
                        p += 4;
                        break;
                    default:
                        throw new IllegalStateException("Unknown type code " + type[c]);
                }
            }
            if (p >= limitBytes) {
                break;
            }
        }
        buffer = b;
        length = p;
        return i;
    }

    /**
     * The bytes of the shortest big-endian two's complement form of the 128-bit value
     * {@code high:low} (what {@code BigInteger.toByteArray} gives): 1 to 16.
     */
    static int decimalLength(long low, long high) {
        if (high == (low >> 63)) {
            // fits a long
            return (64 - Long.numberOfLeadingZeros(low ^ (low >> 63))) / 8 + 1;
        }
        return (128 - Long.numberOfLeadingZeros(high ^ (high >> 63))) / 8 + 1;
    }

    /** Writes the last {@code n} bytes of the 128-bit value {@code high:low}, big-endian, to {@code target[at, at + n)}. */
    static void putDecimal(long low, long high, int n, byte[] target, int at) {
        for (int k = 0; k < n; k++) {
            int j = n - 1 - k; // byte j from the least significant
            target[at + k] = (byte) (j < 8 ? low >>> (j << 3) : high >>> ((j - 8) << 3));
        }
    }

    /** Copies the 32 bytes at {@code source}, which must be readable, to {@code target[start, start + 32)}. */
    private static void copy32FromNative(long source, byte[] target, int start) {
        NATIVE_LONGS.set(target, start, MemoryUtil.getLong(source));
        NATIVE_LONGS.set(target, start + 8, MemoryUtil.getLong(source + 8));
        NATIVE_LONGS.set(target, start + 16, MemoryUtil.getLong(source + 16));
        NATIVE_LONGS.set(target, start + 24, MemoryUtil.getLong(source + 24));
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

    /**
     * Writes a zig-zag varint. Values of up to 8 varint bytes (below 2^56 after zig-zag) are
     * spread into one little-endian long and stored at once; the caller guarantees 11 spare
     * bytes (the 8-byte store may write past the varint, into space the next value overwrites).
     */
    static int writeLong(byte[] b, int p, long value) {
        long n = (value << 1) ^ (value >> 63);
        if ((n & ~0x7FL) == 0) {
            b[p] = (byte) n;
            return p + 1;
        }
        if ((n >>> 56) == 0) {
            int bytes = (70 - Long.numberOfLeadingZeros(n)) / 7;
            long spread = (n & 0x7FL)
                    | ((n & (0x7FL << 7)) << 1)
                    | ((n & (0x7FL << 14)) << 2)
                    | ((n & (0x7FL << 21)) << 3)
                    | ((n & (0x7FL << 28)) << 4)
                    | ((n & (0x7FL << 35)) << 5)
                    | ((n & (0x7FL << 42)) << 6)
                    | ((n & (0x7FL << 49)) << 7);
            long continuation = 0x8080808080808080L & ((1L << ((bytes - 1) << 3)) - 1);
            LITTLE_ENDIAN_LONGS.set(b, p, spread | continuation);
            return p + bytes;
        }
        while ((n & ~0x7FL) != 0) {
            b[p++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        b[p++] = (byte) n;
        return p;
    }
}
