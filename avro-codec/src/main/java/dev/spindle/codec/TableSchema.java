package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The typed columns of a table, in order, with their Avro and Arrow forms.
 *
 * <p><b>Avro mapping (contract):</b> BOOLEAN → {@code boolean}, LONG → {@code long}, DOUBLE →
 * {@code double}, STRING → {@code string}, DATE → {@code int} with logical type {@code date},
 * TIMESTAMP_LOCAL → {@code long} with {@code local-timestamp-millis}, TIMESTAMP_INSTANT →
 * {@code long} with {@code timestamp-millis}, or {@code -micros} for a column whose
 * {@link Column#timestampUnit()} is {@link TimestampUnit#MICROS} (inference picks micros when a
 * sampled value has a sub-millisecond fraction; micros hold every fraction the CSV parser
 * accepts, up to 6 digits). In memory (Arrow) timestamps are always microseconds. A
 * nullable column is the union {@code ["null", T]} with default {@code null}. DECIMAL →
 * {@code bytes} with logical type {@code decimal} of the column's precision and scale, INT →
 * {@code int}, FLOAT → {@code float}, BYTES → {@code bytes}. When a column's
 * header text differs from its sanitized name, the text is kept as the field property
 * {@value #ORIGINAL_NAME_PROPERTY}.
 *
 * <p><b>Arrow mapping (contract):</b> BOOLEAN → {@code BitVector}, LONG → {@code BigIntVector},
 * DOUBLE → {@code Float8Vector}, DATE → {@code DateDayVector}, TIMESTAMP_LOCAL →
 * {@code TimeStampMicroVector}, TIMESTAMP_INSTANT → {@code TimeStampMicroTZVector} with zone
 * {@code "UTC"}, STRING → {@code VarCharVector} (UTF-8), DECIMAL → {@code DecimalVector} of the
 * column's precision and scale, INT → {@code IntVector}, FLOAT → {@code Float4Vector}, BYTES →
 * {@code VarBinaryVector}.
 *
 * <p><b>Read from Avro and Parquet files ({@link #fromAvroSchema}):</b> the above, and a
 * {@code bytes} or {@code fixed} with logical type {@code decimal(p,s)} (p at most 38) → DECIMAL;
 * so is an {@code int} or {@code long} carrying the properties {@code "logicalType": "decimal"},
 * {@code precision} and {@code scale}, which Avro itself ignores: that is how
 * {@link #parquetDecimals} marks a Parquet INT32 or INT64 DECIMAL column, whose unscaled values
 * parquet-avro reads as plain ints and longs. An {@code enum} → STRING (its symbol; the symbol list
 * is not kept), a {@code bytes} or {@code fixed} without a logical type → BYTES.
 *
 * @param columns the columns in order; names are unique
 */
public record TableSchema(List<Column> columns) {

    /** Avro field property holding the header text when it differs from the field name. */
    public static final String ORIGINAL_NAME_PROPERTY = "spindle.original-name";

    public TableSchema {
        requireNonNull(columns, "columns is null");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("A table schema needs at least one column");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Integer previous = seen.put(columns.get(i).name(), i);
            if (previous != null) {
                throw new IllegalArgumentException("Duplicate column name '" + columns.get(i).name() + "' at #" + previous + " and #" + i);
            }
        }
    }

    public int size() {
        return columns.size();
    }

    public Column column(int index) {
        return columns.get(index);
    }

    /** Index of the column with this (sanitized) name, or -1 when there is none. */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The column with this name (sanitized or original header text).
     *
     * @throws IllegalArgumentException naming the valid column names when there is none
     */
    public Column column(String name) {
        int index = indexOf(name);
        if (index < 0) {
            for (Column column : columns) {
                if (column.originalName().equals(name)) {
                    return column;
                }
            }
            throw new IllegalArgumentException("No column '" + name + "'; valid names: " + names());
        }
        return columns.get(index);
    }

    /** The column names in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(columns.size());
        for (Column column : columns) {
            names.add(column.name());
        }
        return names;
    }

    /**
     * The schema of these columns, in the given order.
     *
     * @throws IllegalArgumentException for an unknown or repeated name, listing the valid names
     */
    public TableSchema project(List<String> names) {
        List<Column> projected = new ArrayList<>(names.size());
        for (String name : names) {
            projected.add(column(name));
        }
        return new TableSchema(projected);
    }

    /**
     * This schema with every timestamp column written in {@code unit}. Parquet output uses
     * {@link TimestampUnit#MICROS} throughout: its values are the in-memory microseconds, so
     * the file's {@code TIMESTAMP(MICROS)} annotation says what is stored.
     */
    public TableSchema withTimestampUnit(TimestampUnit unit) {
        requireNonNull(unit, "unit is null");
        List<Column> changed = new ArrayList<>(columns.size());
        for (Column column : columns) {
            changed.add(column.withTimestampUnit(unit));
        }
        return new TableSchema(changed);
    }

    /** The Avro record schema (see the class comment for the mapping). */
    public Schema toAvroSchema(String recordName) {
        requireNonNull(recordName, "recordName is null");
        List<Schema.Field> fields = new ArrayList<>(columns.size());
        for (Column column : columns) {
            Schema valueSchema = avroType(column);
            Schema.Field field = column.nullable()
                    ? new Schema.Field(column.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), valueSchema), null, Schema.Field.NULL_DEFAULT_VALUE)
                    : new Schema.Field(column.name(), valueSchema, null, (Object) null);
            if (!column.originalName().equals(column.name())) {
                field.addProp(ORIGINAL_NAME_PROPERTY, column.originalName());
            }
            fields.add(field);
        }
        return Schema.createRecord(recordName, null, null, false, fields);
    }

    private static Schema avroType(Column column) {
        boolean millis = column.millis();
        switch (column.type()) {
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case LONG:
                return Schema.create(Schema.Type.LONG);
            case DOUBLE:
                return Schema.create(Schema.Type.DOUBLE);
            case DATE:
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIMESTAMP_LOCAL:
                return (millis ? LogicalTypes.localTimestampMillis() : LogicalTypes.localTimestampMicros()).addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP_INSTANT:
                return (millis ? LogicalTypes.timestampMillis() : LogicalTypes.timestampMicros()).addToSchema(Schema.create(Schema.Type.LONG));
            case STRING:
                return Schema.create(Schema.Type.STRING);
            case DECIMAL:
                return LogicalTypes.decimal(column.precision(), column.scale()).addToSchema(Schema.create(Schema.Type.BYTES));
            case INT:
                return Schema.create(Schema.Type.INT);
            case FLOAT:
                return Schema.create(Schema.Type.FLOAT);
            case BYTES:
                return Schema.create(Schema.Type.BYTES);
            default:
                throw new IllegalStateException("Unknown type " + column.type());
        }
    }

    /**
     * Reads back a schema written by {@link #toAvroSchema}.
     *
     * @throws IllegalArgumentException when the schema is not a record or a field has a type
     *     outside the mapping (the message names the field and lists the supported types)
     */
    public static TableSchema fromAvroSchema(Schema schema) {
        requireNonNull(schema, "schema is null");
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("Expected an Avro record schema, got " + schema.getType() + ": " + schema);
        }
        List<Column> columns = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            Schema valueSchema = field.schema();
            boolean nullable = false;
            if (valueSchema.getType() == Schema.Type.UNION) {
                List<Schema> branches = valueSchema.getTypes();
                if (branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL) {
                    valueSchema = branches.get(1);
                    nullable = true;
                } else if (branches.size() == 2 && branches.get(1).getType() == Schema.Type.NULL) {
                    valueSchema = branches.get(0);
                    nullable = true;
                } else {
                    throw unsupported(field);
                }
            }
            String originalName = field.getProp(ORIGINAL_NAME_PROPERTY);
            columns.add(column(field, valueSchema, originalName == null ? field.name() : originalName, nullable));
        }
        return new TableSchema(columns);
    }

    /** The property value that marks an int or long of unscaled decimal values (see the class comment). */
    static final String DECIMAL = "decimal";

    private static Column column(Schema.Field field, Schema schema, String originalName, boolean nullable) {
        LogicalType logical = schema.getLogicalType();
        String name = field.name();
        switch (schema.getType()) {
            case BOOLEAN:
                return new Column(name, originalName, ColumnType.BOOLEAN, nullable);
            case DOUBLE:
                return new Column(name, originalName, ColumnType.DOUBLE, nullable);
            case STRING:
                return new Column(name, originalName, ColumnType.STRING, nullable);
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return new Column(name, originalName, ColumnType.DATE, nullable);
                }
                if (logical == null) {
                    if (DECIMAL.equals(schema.getProp(LogicalType.LOGICAL_TYPE_PROP))) {
                        return markedDecimal(field, schema, originalName, nullable);
                    }
                    return new Column(name, originalName, ColumnType.INT, nullable);
                }
                throw unsupported(field);
            case FLOAT:
                return new Column(name, originalName, ColumnType.FLOAT, nullable);
            case LONG:
                if (logical == null) {
                    if (DECIMAL.equals(schema.getProp(LogicalType.LOGICAL_TYPE_PROP))) {
                        return markedDecimal(field, schema, originalName, nullable);
                    }
                    return new Column(name, originalName, ColumnType.LONG, nullable);
                }
                if (logical instanceof LogicalTypes.LocalTimestampMicros || logical instanceof LogicalTypes.LocalTimestampMillis) {
                    return new Column(name, originalName, ColumnType.TIMESTAMP_LOCAL, nullable, unit(logical));
                }
                if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.TimestampMillis) {
                    return new Column(name, originalName, ColumnType.TIMESTAMP_INSTANT, nullable, unit(logical));
                }
                throw unsupported(field);
            case BYTES:
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    return decimal(field, originalName, nullable, decimal.getPrecision(), decimal.getScale());
                }
                if (logical == null) {
                    return new Column(name, originalName, ColumnType.BYTES, nullable);
                }
                throw unsupported(field);
            case ENUM:
                return new Column(name, originalName, ColumnType.STRING, nullable);
            default:
                throw unsupported(field);
        }
    }

    private static TimestampUnit unit(LogicalType logical) {
        return logical instanceof LogicalTypes.LocalTimestampMillis || logical instanceof LogicalTypes.TimestampMillis
                ? TimestampUnit.MILLIS : TimestampUnit.MICROS;
    }

    private static Column markedDecimal(Schema.Field field, Schema schema, String originalName, boolean nullable) {
        Object precision = schema.getObjectProp("precision");
        Object scale = schema.getObjectProp("scale");
        if (!(precision instanceof Integer) || !(scale == null || scale instanceof Integer)) {
            throw new IllegalArgumentException("Field '%s' is a decimal %s without an integer precision and scale: %s".formatted(field.name(), schema.getType().getName(), field.schema()));
        }
        int digits = (Integer) precision;
        int limit = schema.getType() == Schema.Type.INT ? 9 : 18;
        if (digits > limit) {
            throw new IllegalArgumentException("Field '%s' is a decimal(%d) of unscaled %ss, which hold at most %d digits: %s".formatted(field.name(), digits,
                    schema.getType().getName(), limit, field.schema()));
        }
        return decimal(field, originalName, nullable, digits, scale == null ? 0 : (Integer) scale);
    }

    private static Column decimal(Schema.Field field, String originalName, boolean nullable, int precision, int scale) {
        if (precision > Column.MAX_DECIMAL_PRECISION) {
            throw new IllegalArgumentException("Field '%s' is decimal(%d,%d); decimals of more than %d digits are not supported: %s"
                    .formatted(field.name(), precision, scale, Column.MAX_DECIMAL_PRECISION, field.schema()));
        }
        return Column.decimal(field.name(), originalName, nullable, precision, scale);
    }

    /**
     * {@code avro}, parquet-avro's conversion of the Parquet schema {@code parquet}, with each
     * top-level INT32 or INT64 DECIMAL column's int or long marked as a decimal (see the class
     * comment): parquet-avro converts those to a plain int or long and would lose the scale.
     */
    public static Schema parquetDecimals(Schema avro, org.apache.parquet.schema.MessageType parquet) {
        requireNonNull(avro, "avro is null");
        requireNonNull(parquet, "parquet is null");
        if (avro.getType() != Schema.Type.RECORD) {
            return avro;
        }
        for (org.apache.parquet.schema.Type type : parquet.getFields()) {
            if (!type.isPrimitive()
                    || !(type.getLogicalTypeAnnotation() instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal)) {
                continue;
            }
            org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName primitive = type.asPrimitiveType().getPrimitiveTypeName();
            if (primitive != org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32
                    && primitive != org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64) {
                continue;
            }
            Schema.Field field = avro.getField(type.getName());
            if (field == null) {
                continue;
            }
            Schema value = field.schema();
            if (value.getType() == Schema.Type.UNION) {
                for (Schema branch : value.getTypes()) {
                    mark(branch, decimal);
                }
            } else {
                mark(value, decimal);
            }
        }
        return avro;
    }

    private static void mark(Schema schema, org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
        if ((schema.getType() == Schema.Type.INT || schema.getType() == Schema.Type.LONG) && schema.getLogicalType() == null
                && schema.getProp(LogicalType.LOGICAL_TYPE_PROP) == null) {
            schema.addProp(LogicalType.LOGICAL_TYPE_PROP, DECIMAL);
            schema.addProp("precision", decimal.getPrecision());
            schema.addProp("scale", decimal.getScale());
        }
    }

    private static IllegalArgumentException unsupported(Schema.Field field) {
        return new IllegalArgumentException("Unsupported Avro type for field '" + field.name() + "': " + field.schema()
                + "; supported: boolean, int, long, float, double, string, int+date, long+local-timestamp-millis or -micros, long+timestamp-millis or -micros,"
                + " bytes or fixed+decimal (precision at most " + Column.MAX_DECIMAL_PRECISION + "), bytes, fixed, enum (as string), each optionally in a union with null");
    }

    /** The Arrow schema (see the class comment for the mapping); field metadata keeps the original name. */
    public org.apache.arrow.vector.types.pojo.Schema toArrowSchema() {
        List<Field> fields = new ArrayList<>(columns.size());
        for (Column column : columns) {
            Map<String, String> metadata = column.originalName().equals(column.name()) ? null : Map.of(ORIGINAL_NAME_PROPERTY, column.originalName());
            fields.add(new Field(column.name(), new FieldType(column.nullable(), arrowType(column), null, metadata), null));
        }
        return new org.apache.arrow.vector.types.pojo.Schema(fields);
    }

    static ArrowType arrowType(Column column) {
        ColumnType type = column.type();
        switch (type) {
            case BOOLEAN:
                return ArrowType.Bool.INSTANCE;
            case LONG:
                return new ArrowType.Int(64, true);
            case DOUBLE:
                return new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE);
            case DATE:
                return new ArrowType.Date(DateUnit.DAY);
            case TIMESTAMP_LOCAL:
                return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case TIMESTAMP_INSTANT:
                return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
            case STRING:
                return ArrowType.Utf8.INSTANCE;
            case DECIMAL:
                return new ArrowType.Decimal(column.precision(), column.scale(), 128);
            case INT:
                return new ArrowType.Int(32, true);
            case FLOAT:
                return new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE);
            case BYTES:
                return ArrowType.Binary.INSTANCE;
            default:
                throw new IllegalStateException("Unknown type " + type);
        }
    }
}
