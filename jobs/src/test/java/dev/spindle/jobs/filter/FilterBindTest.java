package dev.spindle.jobs.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterBindTest {

  private static String bindError(String filter, Schema schema) {
    FilterExpression expression = FilterExpression.parse(filter);
    return assertThrows(IllegalArgumentException.class, () -> expression.bind(schema))
        .getMessage();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "flag = TRUE", "flag != false", "flag IS NULL",
      "n > 3", "n > 3.5", "n = -1e30", "n IN (1, 2, 3.5)", "3 < n",
      "x >= 2", "x < 1e400", "x = -0.0",
      "d = '2024-01-31'", "d < '-0001-01-01'", "d NOT IN ('2024-01-31', '2024-02-29')",
      "ts > '2024-01-31'", "ts > '2024-01-31 08:00'", "ts <= '2024-01-31T08:00:01.123456789'",
      "tsz > '2024-01-31'", "tsz > '2024-01-31 08:00:00Z'", "tsz = '2024-01-31T08:00+02:00'",
      "s = 'CMT'", "s < ''", "s IN ('a', 'b')",
      "flag = TRUE AND n > 3 AND x >= 2 AND d = '2024-01-31' OR ts > '2024-01-31'"
          + " AND tsz > '2024-01-31 00:00Z' AND NOT s = 'CMT'"
  })
  void bindsEverySupportedType(String filter) {
    assertNotNull(FilterExpression.parse(filter).bind(TestBatches.ALL_TYPES));
  }

  static Stream<Arguments> typeErrors() {
    return Stream.of(
        Arguments.of("s = 3", "Cannot compare column 's' (string) with the number 3; quote it to"
            + " compare as text: '3' in filter: s = 3"),
        Arguments.of("s > TRUE", "Cannot compare column 's' (string) with the boolean TRUE in"
            + " filter: s > TRUE"),
        Arguments.of("n = '3'", "Cannot compare column 'n' (long) with the string '3' in filter:"
            + " n = '3'"),
        Arguments.of("x != FALSE", "Cannot compare column 'x' (double) with the boolean FALSE in"
            + " filter: x != FALSE"),
        Arguments.of("flag = 1", "Cannot compare column 'flag' (boolean) with the number 1;"
            + " compare booleans with TRUE or FALSE in filter: flag = 1"),
        Arguments.of("flag < TRUE", "Cannot use '<' on column 'flag' (boolean); only = and !="
            + " apply to booleans in filter: flag < TRUE"),
        Arguments.of("d = 20240131", "Cannot compare column 'd' (date) with the number 20240131;"
            + " write a date such as '2024-01-31' in single quotes in filter: d = 20240131"),
        Arguments.of("d = '2024-1-31'", "Cannot compare column 'd' (date) with the string"
            + " '2024-1-31', which is not an ISO date such as '2024-01-31' in filter:"
            + " d = '2024-1-31'"),
        Arguments.of("d > '2024-01-31 08:00'", "Cannot compare column 'd' (date) with the string"
            + " '2024-01-31 08:00', which is not an ISO date such as '2024-01-31' in filter:"
            + " d > '2024-01-31 08:00'"),
        Arguments.of("ts > 0", "Cannot compare column 'ts' (timestamp) with the number 0; write a"
            + " timestamp such as '2024-01-31 08:00:00' in single quotes in filter: ts > 0"),
        Arguments.of("ts > '2024-01-31T08:00Z'", "Cannot compare column 'ts' (timestamp) with the"
            + " string '2024-01-31T08:00Z', which has a time zone offset; this column holds local"
            + " timestamps, remove the offset in filter: ts > '2024-01-31T08:00Z'"),
        Arguments.of("tsz IN ('2024-01-31', 'noon')", "Cannot compare column 'tsz' (timestamp"
            + " (UTC)) with the string 'noon', which is not an ISO timestamp such as"
            + " '2024-01-31 08:00:00Z' in filter: tsz IN ('2024-01-31', 'noon')"),
        Arguments.of("n > 1 AND passanger_count > 3", "Unknown column 'passanger_count' in"
            + " filter; valid columns: flag, n, x, d, ts, tsz, s"),
        Arguments.of("N > 1", "Unknown column 'N' in filter; valid columns: flag, n, x, d, ts,"
            + " tsz, s"));
  }

  @ParameterizedTest
  @MethodSource("typeErrors")
  void reportsTypeErrorsNamingColumnTypeAndLiteral(String filter, String message) {
    assertEquals(message, bindError(filter, TestBatches.ALL_TYPES));
  }

  @Test
  void rejectsColumnTypesFiltersDoNotSupport() {
    Schema schema = TestBatches.schema("s", new ArrowType.Int(16, true),
        "tz", new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND,
            "Europe/Paris"));
    assertEquals("Column 's' has Arrow type Int(16, true), which filters cannot compare;"
            + " supported types: Bool, Int(32, signed), Int(64, signed), FloatingPoint(DOUBLE),"
            + " Date(DAY), Timestamp(MICROSECOND, none), Timestamp(MICROSECOND, UTC), Utf8 in"
            + " filter: s IS NULL",
        bindError("s IS NULL", schema));
    assertEquals("Column 'tz' has Arrow type Timestamp(MICROSECOND, Europe/Paris), which"
            + " filters cannot compare; supported types: Bool, Int(32, signed), Int(64, signed),"
            + " FloatingPoint(DOUBLE), Date(DAY), Timestamp(MICROSECOND, none),"
            + " Timestamp(MICROSECOND, UTC), Utf8 in filter: tz > '2024-01-01'",
        bindError("tz > '2024-01-01'", schema));
  }

  @Test
  void boundFilterPrintsTheCanonicalForm() {
    assertEquals("n > 3 AND s != 'x'",
        FilterExpression.parse("3 < n and s <> 'x'").bind(TestBatches.ALL_TYPES).toString());
  }
}
