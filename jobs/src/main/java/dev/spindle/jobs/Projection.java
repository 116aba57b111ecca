package dev.spindle.jobs;

import dev.spindle.codec.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The written columns: {@code --select} keeps and orders, {@code --drop} removes, and
 * {@code --partition-by} columns are left out of the records whether or not {@code --select}
 * names them, since their values are in the partition directories' names (as Hive and Spark
 * expect). A partition column is any column of the input: {@code --select} need not name it.
 */
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

    /**
     * The columns written into the records of a job partitioned by {@code partitionBy} (every
     * input column of {@code table}): {@link #apply}'s, without the partition columns.
     *
     * @throws IllegalArgumentException when a partition column is not an input column, or no
     *     column is left for the records
     */
    static TableSchema apply(TableSchema table, List<String> select, List<String> drop, List<String> partitionBy) {
        TableSchema written = apply(table, select, drop);
        if (partitionBy.isEmpty()) {
            return written;
        }
        checkKnown(partitionBy, table.names(), "--partition-by");
        List<String> data = new ArrayList<>(written.names());
        data.removeAll(partitionBy);
        if (data.isEmpty()) {
            throw new IllegalArgumentException("No column is left for the records: --partition-by takes every written column (%s)"
                    .formatted(String.join(", ", written.names())));
        }
        return table.project(data);
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
