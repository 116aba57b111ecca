package dev.spindle.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * An Avro record as one line of JSON for people: dates and timestamps in ISO form (by their
 * logical types), decimals as JSON numbers of their scale, nulls as null, strings as strings.
 */
final class RecordJson {

    // decimals as 0.0000000001, not 1E-10
    private final ObjectMapper json = new ObjectMapper().configure(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    String render(GenericRecord record) {
        ObjectNode node = tree(record);
        try {
            return json.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot render a record as JSON", e);
        }
    }

    /** The record as a JSON object, one member per field in schema order. */
    ObjectNode tree(GenericRecord record) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            node.set(field.name(), value(field.schema(), record.get(field.pos())));
        }
        return node;
    }

    private JsonNode value(Schema schema, Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null) {
            return nodes.nullNode();
        }
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return value(branch, value);
                }
            }
        }
        LogicalType logical = schema.getLogicalType();
        if (logical != null && value instanceof Number number) {
            long raw = number.longValue();
            switch (logical.getName()) {
                case "date":
                    return nodes.textNode(LocalDate.ofEpochDay(raw).toString());
                case "local-timestamp-micros":
                    return nodes.textNode(LocalDateTime.ofEpochSecond(Math.floorDiv(raw, 1_000_000L),
                            (int) Math.floorMod(raw, 1_000_000L) * 1000, ZoneOffset.UTC).toString());
                case "local-timestamp-millis":
                    return nodes.textNode(LocalDateTime.ofEpochSecond(Math.floorDiv(raw, 1000L),
                            (int) Math.floorMod(raw, 1000L) * 1_000_000, ZoneOffset.UTC).toString());
                case "timestamp-micros":
                    return nodes.textNode(Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L), Math.floorMod(raw, 1_000_000L) * 1000).toString());
                case "timestamp-millis":
                    return nodes.textNode(Instant.ofEpochMilli(raw).toString());
                default:
                    break;
            }
        }
        if (value instanceof Long l) {
            return nodes.numberNode(l);
        }
        if (value instanceof Integer i) {
            return nodes.numberNode(i);
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? nodes.textNode(d.toString()) : nodes.numberNode(d);
        }
        if (value instanceof Float f) {
            return nodes.numberNode(f);
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (logical instanceof org.apache.avro.LogicalTypes.Decimal decimal && (value instanceof ByteBuffer || value instanceof org.apache.avro.generic.GenericFixed)) {
            byte[] unscaled;
            if (value instanceof ByteBuffer bytes) {
                unscaled = new byte[bytes.remaining()];
                bytes.duplicate().get(unscaled);
            } else {
                unscaled = ((org.apache.avro.generic.GenericFixed) value).bytes();
            }
            return nodes.numberNode(new java.math.BigDecimal(unscaled.length == 0 ? java.math.BigInteger.ZERO : new java.math.BigInteger(unscaled), decimal.getScale()));
        }
        if (value instanceof ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return nodes.binaryNode(copy);
        }
        return nodes.textNode(value.toString());
    }
}
