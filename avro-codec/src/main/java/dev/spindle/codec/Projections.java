package dev.spindle.codec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/** The reader schema of a projection: the file's record with only some of its fields, in the file's order. */
final class Projections {

    private Projections() {}

    /**
     * {@code file} with only the fields named in {@code columns} (all for an empty list), in the
     * file's order, each field as the file declares it.
     *
     * @throws IllegalArgumentException when a column is not a field of {@code file}; lists the fields
     */
    static Schema avro(Schema file, List<String> columns, String location) {
        if (file.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("Expected an Avro record schema, got %s: %s".formatted(file.getType(), location));
        }
        if (columns.isEmpty()) {
            return file;
        }
        Set<String> wanted = new HashSet<>(columns);
        List<Schema.Field> fields = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Schema.Field field : file.getFields()) {
            names.add(field.name());
            if (wanted.remove(field.name())) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        if (!wanted.isEmpty()) {
            throw new IllegalArgumentException("No column %s in the file; its columns are %s: %s"
                    .formatted(String.join(", ", wanted.stream().sorted().toList()), String.join(", ", names), location));
        }
        Schema projection = Schema.createRecord(file.getName(), file.getDoc(), file.getNamespace(), false, fields);
        file.getObjectProps().forEach(projection::addProp);
        return projection;
    }
}
