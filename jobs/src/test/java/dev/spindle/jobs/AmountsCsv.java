package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * A small CSV of {@code id,amount,name} rows whose every {@code badEvery}-th amount is not a
 * number (a rejected row), and the multiset of what a job wrote: for tests that compare two
 * ways of running the same job record by record.
 */
final class AmountsCsv {

    private AmountsCsv() {}

    static byte[] of(int rows, int badEvery) {
        StringBuilder csv = new StringBuilder("id,amount,name\n");
        for (int i = 1; i <= rows; i++) {
            csv.append(i).append(',').append(i % badEvery == 0 ? i + "x" : Integer.toString(i * 10)).append(",name ").append(i % 13).append('\n');
        }
        return csv.toString().getBytes(UTF_8);
    }

    /** Each record (or reject) as text, with how many times it occurs. */
    static <T> Map<String, Integer> multiset(List<T> values) {
        Map<String, Integer> counts = new HashMap<>();
        for (T value : values) {
            counts.merge(value instanceof GenericRecord record ? record.toString() : value.toString(), 1, Integer::sum);
        }
        return counts;
    }
}
