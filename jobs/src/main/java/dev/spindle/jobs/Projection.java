package dev.spindle.jobs;

import dev.spindle.codec.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The written columns: {@code --select} keeps and orders, {@code --drop} removes. */
final class Projection {

    private Projection() {}

    static TableSchema apply(TableSchema table, List<String> select, List<String> drop) {
        if (!select.isEmpty() && !drop.isEmpty()) {
            throw new IllegalArgumentException("Use --select or --drop, not both");
        }
        List<String> valid = table.names();
        checkKnown(select, valid, "--select");
        checkKnown(drop, valid, "--drop");
        if (!select.isEmpty()) {
            Set<String> unique = new LinkedHashSet<>(select);
            if (unique.size() != select.size()) {
                throw new IllegalArgumentException("--select names a column twice: " + String.join(",", select));
            }
            return table.project(select);
        }
        if (!drop.isEmpty()) {
            List<String> kept = new ArrayList<>(valid);
            kept.removeAll(drop);
            if (kept.isEmpty()) {
                throw new IllegalArgumentException("--drop removes every column");
            }
            return table.project(kept);
        }
        return table;
    }

    static void checkKnown(List<String> names, List<String> valid, String option) {
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (!valid.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown column%s %s in %s; valid columns: %s".formatted(
                    unknown.size() == 1 ? "" : "s", "'" + String.join("', '", unknown) + "'", option, String.join(", ", valid)));
        }
    }
}
