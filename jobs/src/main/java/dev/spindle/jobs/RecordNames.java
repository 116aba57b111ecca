package dev.spindle.jobs;

import dev.spindle.io.store.FileEntry;
import java.util.List;

/** The Avro record name of an output: the first input file's base name, made a valid Avro name. */
final class RecordNames {

    private static final String FALLBACK = "record";

    private RecordNames() {}

    static String fromInputs(List<FileEntry> files) {
        if (files.isEmpty()) {
            return FALLBACK;
        }
        String location = files.get(0).location();
        String name = location.substring(location.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        StringBuilder sanitized = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean digit = c >= '0' && c <= '9';
            if (i == 0 && digit) {
                sanitized.append('_');
            }
            sanitized.append(letter || digit ? c : '_');
        }
        return sanitized.isEmpty() ? FALLBACK : sanitized.toString();
    }
}
