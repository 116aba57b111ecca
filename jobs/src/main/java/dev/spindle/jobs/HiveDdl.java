package dev.spindle.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.PartCommitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

/**
 * {@code --hive-ddl}: the {@code CREATE EXTERNAL TABLE} statement of a committed output, from its
 * manifest, and for a partitioned output {@code MSCK REPAIR TABLE}, which adds its partition
 * directories to the metastore. Types map from the Avro schema: string → STRING, long → BIGINT,
 * double → DOUBLE, boolean → BOOLEAN, int with {@code date} → DATE, long with a timestamp logical
 * type → TIMESTAMP (a union with null is its other branch: Hive's columns are all nullable).
 */
final class HiveDdl {

    private HiveDdl() {}

    /**
     * The statements for the output at {@code location} (its qualified URI) described by
     * {@code manifest}, as table {@code table}.
     *
     * @throws IllegalArgumentException for a column type Hive has no mapping for here
     */
    static String statements(Manifest manifest, String location, String table) {
        Schema records = new Schema.Parser().parse(manifest.schema().toString());
        String format = manifest.format().toLowerCase(Locale.ROOT);
        StringBuilder ddl = new StringBuilder("CREATE EXTERNAL TABLE ").append(quote(table)).append(" (\n");
        ddl.append(columns(records.getFields())).append("\n)\n");
        if (!manifest.partitionColumns().isEmpty()) {
            JsonNode partitionSchema = manifest.partitionSchema();
            if (partitionSchema == null) {
                throw new IllegalArgumentException("The manifest names partition columns %s but not their types: %s"
                        .formatted(manifest.partitionColumns(), location));
            }
            Schema partitions = new Schema.Parser().parse(partitionSchema.toString());
            ddl.append("PARTITIONED BY (\n").append(columns(partitions.getFields())).append("\n)\n");
        }
        ddl.append("STORED AS ").append(format.equals("avro") ? "AVRO" : "PARQUET").append('\n');
        ddl.append("LOCATION ").append(literal(location));
        if (format.equals("avro")) {
            ddl.append("\nTBLPROPERTIES ('avro.schema.url'=").append(literal(location + "/" + PartCommitter.SCHEMA)).append(')');
        }
        ddl.append(";\n");
        if (!manifest.partitionColumns().isEmpty()) {
            ddl.append("MSCK REPAIR TABLE ").append(quote(table)).append(";\n");
        }
        return ddl.toString();
    }

    private static String columns(List<Schema.Field> fields) {
        List<String> lines = new ArrayList<>();
        for (Schema.Field field : fields) {
            lines.add("  " + quote(field.name()) + " " + hiveType(field));
        }
        return String.join(",\n", lines);
    }

    static String hiveType(Schema.Field field) {
        Schema schema = field.schema();
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
            if (branches.size() != 1) {
                throw new IllegalArgumentException("No Hive type for column '%s': %s".formatted(field.name(), schema));
            }
            schema = branches.get(0);
        }
        LogicalType logical = schema.getLogicalType();
        String name = logical == null ? null : logical.getName();
        return switch (schema.getType()) {
            case STRING -> "STRING";
            case BOOLEAN -> "BOOLEAN";
            case DOUBLE -> "DOUBLE";
            case FLOAT -> "FLOAT";
            case INT -> "date".equals(name) ? "DATE" : "INT";
            case LONG -> name != null && name.contains("timestamp") ? "TIMESTAMP" : "BIGINT";
            case BYTES, FIXED -> {
                if (logical instanceof org.apache.avro.LogicalTypes.Decimal decimal) {
                    yield "DECIMAL(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
                }
                yield "BINARY";
            }
            default -> throw new IllegalArgumentException("No Hive type for column '%s': %s".formatted(field.name(), schema));
        };
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
