package dev.spindle.codec;

import java.util.Map;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Parquet {@link WriteSupport} whose "records" are row indices into a bound Arrow batch: values
 * go from the vectors straight to Parquet's {@link RecordConsumer}, with no GenericRecord and no
 * boxing. The Parquet schema is parquet-avro's conversion of the Avro schema, and the Avro
 * schema is stored in the footer as parquet-avro does, so either reader can read the file.
 *
 * <p><b>HOT LOOP: {@link #write} trades readability for speed</b> (type codes, direct memory
 * reads; string bytes go through one reused array, which Parquet copies when it keeps a value).
 */
final class VectorWriteSupport extends WriteSupport<VectorWriteSupport.Row> {

    /** The row to write next; one reused instance. */
    static final class Row {
        int index;
    }

    private final TableSchema schema;
    private final Schema avroSchema;
    private final MessageType parquetSchema;
    private final int[] types;
    private final String[] names;
    private final long[] dataAddress;
    private final long[] offsetAddress;
    private final long[] validityAddress;
    private final VarCharVector[] strings;
    private byte[] bytes = new byte[256];
    private RecordConsumer consumer;

    VectorWriteSupport(TableSchema schema, Schema avroSchema) {
        this.schema = schema;
        this.avroSchema = avroSchema;
        this.parquetSchema = new AvroSchemaConverter().convert(avroSchema);
        int n = schema.size();
        this.types = new int[n];
        this.names = new String[n];
        for (int i = 0; i < n; i++) {
            types[i] = schema.column(i).type().ordinal();
            names[i] = schema.column(i).name();
        }
        this.dataAddress = new long[n];
        this.offsetAddress = new long[n];
        this.validityAddress = new long[n];
        this.strings = new VarCharVector[n];
    }

    @Override
    @SuppressWarnings("deprecation") // abstract in parquet-hadoop 1.16: must be implemented
    public WriteContext init(Configuration configuration) {
        return context();
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return context();
    }

    private WriteContext context() {
        return new WriteContext(parquetSchema, Map.of(ParquetBatchReader.AVRO_SCHEMA_KEY, avroSchema.toString()));
    }

    @Override
    public String getName() {
        return "spindle-arrow";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    /**
     * Binds a batch (columns by name, types checked as for Avro).
     *
     * @throws IllegalArgumentException when a column is missing, has another type or is shorter than the batch
     */
    void bind(VectorSchemaRoot batch) {
        for (int i = 0; i < types.length; i++) {
            Column column = schema.column(i);
            FieldVector vector = batch.getVector(column.name());
            if (vector == null) {
                throw new IllegalArgumentException("Batch has no column '" + column.name() + "'; batch columns: " + batch.getSchema().getFields().stream().map(f -> f.getName()).toList());
            }
            if (!vector.getField().getType().equals(TableSchema.arrowType(column))) {
                throw new IllegalArgumentException("Column '" + column.name() + "' is " + vector.getField().getType() + " in the batch but " + column.type().displayName() + " in the schema");
            }
            if (vector.getValueCount() < batch.getRowCount()) {
                throw new IllegalArgumentException("Column '" + column.name() + "' holds " + vector.getValueCount() + " values but the batch has " + batch.getRowCount() + " rows");
            }
            dataAddress[i] = vector.getDataBuffer().memoryAddress();
            validityAddress[i] = vector.getValidityBuffer().memoryAddress();
            offsetAddress[i] = vector instanceof org.apache.arrow.vector.BaseVariableWidthVector ? vector.getOffsetBuffer().memoryAddress() : 0;
        }
    }

    @Override
    public void write(Row record) {
        int row = record.index;
        RecordConsumer c = consumer;
        c.startMessage();
        for (int i = 0; i < types.length; i++) {
            if ((MemoryUtil.getByte(validityAddress[i] + (row >> 3)) & (1 << (row & 7))) == 0) {
                if (!schema.column(i).nullable()) {
                    throw new IllegalArgumentException("Null value at row " + row + " in non-nullable column '" + names[i] + "' (#" + i + ")");
                }
                continue;
            }
            c.startField(names[i], i);
            switch (types[i]) {
                case 0: // BOOLEAN
                    c.addBoolean(((MemoryUtil.getByte(dataAddress[i] + (row >> 3)) >> (row & 7)) & 1) != 0);
                    break;
                case 1: // LONG
                case 4: // TIMESTAMP_LOCAL
                case 5: // TIMESTAMP_INSTANT
                    c.addLong(MemoryUtil.getLong(dataAddress[i] + ((long) row << 3)));
                    break;
                case 2: // DOUBLE
                    c.addDouble(Double.longBitsToDouble(MemoryUtil.getLong(dataAddress[i] + ((long) row << 3))));
                    break;
                case 3: // DATE
                    c.addInteger(MemoryUtil.getInt(dataAddress[i] + ((long) row << 2)));
                    break;
                case 6: // STRING
                case 10: { // BYTES: the same BINARY, without the STRING annotation
                    long offsets = offsetAddress[i] + ((long) row << 2);
                    int start = MemoryUtil.getInt(offsets);
                    int length = MemoryUtil.getInt(offsets + 4) - start;
                    if (bytes.length < length) {
                        bytes = new byte[Math.max(length, bytes.length * 2)];
                    }
                    MemoryUtil.copyFromMemory(dataAddress[i] + start, bytes, 0, length);
                    c.addBinary(Binary.fromReusedByteArray(bytes, 0, length));
                    break;
                }
                case 7: { // DECIMAL: the unscaled value's big-endian two's complement bytes
                    long address = dataAddress[i] + ((long) row << 4);
                    long low = MemoryUtil.getLong(address);
                    long high = MemoryUtil.getLong(address + 8);
                    int length = AvroRowEncoder.decimalLength(low, high);
                    AvroRowEncoder.putDecimal(low, high, length, bytes, 0);
                    c.addBinary(Binary.fromReusedByteArray(bytes, 0, length));
                    break;
                }
                case 8: // INT
                    c.addInteger(MemoryUtil.getInt(dataAddress[i] + ((long) row << 2)));
                    break;
                case 9: // FLOAT
                    c.addFloat(Float.intBitsToFloat(MemoryUtil.getInt(dataAddress[i] + ((long) row << 2))));
                    break;
                default:
                    throw new IllegalStateException("Unknown type code " + types[i]);
            }
            c.endField(names[i], i);
        }
        c.endMessage();
    }
}
