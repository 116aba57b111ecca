package dev.spindle.codec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns header texts into unique valid Avro names. */
final class AvroNames {

    private AvroNames() {
    }

    static boolean isValid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        char first = name.charAt(0);
        if (!(first == '_' || (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sanitizes one header text: trims whitespace, replaces every character outside
     * {@code [A-Za-z0-9_]} with {@code _}, prefixes {@code _} when it starts with a digit
     * ({@code 1st} → {@code _1st}); an empty result becomes {@code column_N} (1-based).
     */
    static String sanitize(String header, int position) {
        String trimmed = header.strip();
        StringBuilder name = new StringBuilder(trimmed.length() + 1);
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            boolean valid = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            name.append(valid ? c : '_');
        }
        if (name.length() == 0) {
            return "column_" + (position + 1);
        }
        if (name.charAt(0) >= '0' && name.charAt(0) <= '9') {
            name.insert(0, '_');
        }
        return name.toString();
    }

    /** Sanitizes all header texts; a repeated name gets {@code _2}, {@code _3}, ... */
    static List<String> sanitizeAll(List<String> headers) {
        List<String> names = new ArrayList<>(headers.size());
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < headers.size(); i++) {
            taken.add(sanitize(headers.get(i), i));
        }
        Set<String> used = new HashSet<>();
        for (int i = 0; i < headers.size(); i++) {
            String base = sanitize(headers.get(i), i);
            String name = base;
            int suffix = 2;
            while (used.contains(name)) {
                name = base + "_" + suffix++;
                if (taken.contains(name)) {
                    name = base;
                }
            }
            used.add(name);
            names.add(name);
        }
        return names;
    }
}
