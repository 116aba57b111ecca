package dev.spindle.jobs.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterExpressionParseTest {

  private static String canonical(String text) {
    return FilterExpression.parse(text).toString();
  }

  private static String syntaxError(String text) {
    return assertThrows(IllegalArgumentException.class, () -> FilterExpression.parse(text))
        .getMessage();
  }

  @Test
  void parsesTheIssueExample() {
    FilterExpression filter = FilterExpression.parse(
        "passenger_count > 3 AND (vendor_id = 'CMT' OR trip_distance IS NULL)");
    assertEquals("passenger_count > 3 AND (vendor_id = 'CMT' OR trip_distance IS NULL)",
        filter.toString());
    assertEquals(List.of("passenger_count", "vendor_id", "trip_distance"),
        List.copyOf(filter.columns()));
  }

  @ParameterizedTest
  @MethodSource("printsCanonicalFormCases")
  void printsCanonicalForm(String text, String expected) {
    assertEquals(expected, canonical(text));
    assertEquals(FilterExpression.parse(text), FilterExpression.parse(expected));
    assertEquals(expected, canonical(expected));
  }

  @Test
  void keepsTheColumnCaseAndDistinguishesExpressions() {
    assertEquals("Trip_Distance = 1", canonical("Trip_Distance = 1"));
    assertNotEquals(FilterExpression.parse("a = 1"), FilterExpression.parse("A = 1"));
    assertNotEquals(FilterExpression.parse("a = 1"), FilterExpression.parse("a = 1.0"));
    assertEquals(FilterExpression.parse("a = 1 AND b = 2").hashCode(),
        FilterExpression.parse("(a = 1) and b = 2").hashCode());
  }

  @Test
  void listsEachColumnOnceInOrderOfAppearance() {
    FilterExpression filter =
        FilterExpression.parse("z = 1 OR a IS NULL OR (z > 2 AND \"m n\" IN ('x'))");
    assertEquals(List.of("z", "a", "m n"), List.copyOf(filter.columns()));
    assertThrows(UnsupportedOperationException.class, () -> filter.columns().add("q"));
  }

  @ParameterizedTest
  @MethodSource("reportsSyntaxErrorsWithPositionCases")
  void reportsSyntaxErrorsWithPosition(String text, String message) {
    assertEquals(message, syntaxError(text));
  }

  @Test
  void limitsNesting() {
    int max = FilterParser.MAX_DEPTH;
    String deep = "(".repeat(max) + "a = 1" + ")".repeat(max);
    assertEquals("a = 1", canonical(deep));
    assertEquals("NOT ".repeat(max) + "a = 1", canonical("not ".repeat(max) + "a = 1"));
    String tooDeep = "(" + deep + ")";
    assertEquals("Filter nests parentheses and NOTs deeper than 200 levels at position 200 in"
        + " filter: " + tooDeep, syntaxError(tooDeep));
    String hostile = "(".repeat(100_000);
    assertEquals("Filter nests parentheses and NOTs deeper than 200 levels at position 200 in"
        + " filter: " + hostile, syntaxError(hostile));
  }

  @Test
  void rejectsEmptyFilters() {
    assertEquals("Empty filter: expected a condition such as x = 1 at position 0 in filter: ",
        syntaxError(""));
    assertEquals("Empty filter: expected a condition such as x = 1 at position 0 in filter:   ",
        syntaxError("  "));
  }

  @Test
  void checksColumnNamesAgainstAList() {
    FilterExpression filter =
        FilterExpression.parse("passanger_count > 3 AND medallion = 'x' OR vendr IS NULL");
    List<String> valid = List.of("medallion", "hack_license", "passenger_count");
    assertEquals("Unknown columns 'passanger_count', 'vendr' in filter; valid columns: medallion,"
            + " hack_license, passenger_count",
        assertThrows(IllegalArgumentException.class, () -> filter.checkColumns(valid))
            .getMessage());
    FilterExpression one = FilterExpression.parse("passanger_count > 3");
    assertEquals("Unknown column 'passanger_count' in filter; valid columns: medallion,"
            + " hack_license, passenger_count",
        assertThrows(IllegalArgumentException.class, () -> one.checkColumns(valid))
            .getMessage());
    FilterExpression good = FilterExpression.parse("passenger_count > 3 AND medallion = 'x'");
    good.checkColumns(valid);
    assertEquals(2, good.columns().size());
  }

  static Stream<Arguments> printsCanonicalFormCases() {
    return cases(
      // precedence: NOT > AND > OR
      "a = 1 OR b = 2 AND c = 3           | a = 1 OR b = 2 AND c = 3",
      "(a = 1 OR b = 2) AND c = 3         | (a = 1 OR b = 2) AND c = 3",
      "a = 1 AND b = 2 OR c = 3           | a = 1 AND b = 2 OR c = 3",
      "(a = 1 AND b = 2) OR c = 3         | a = 1 AND b = 2 OR c = 3",
      "NOT a = 1 AND b = 2                | NOT a = 1 AND b = 2",
      "NOT (a = 1 AND b = 2)              | NOT (a = 1 AND b = 2)",
      "NOT (a = 1) OR b = 2               | NOT a = 1 OR b = 2",
      "NOT NOT a = 1                      | NOT NOT a = 1",
      "a = 1 AND (b = 2 AND c = 3)        | a = 1 AND b = 2 AND c = 3",
      "(a = 1 OR b = 2) OR (c = 3)        | a = 1 OR b = 2 OR c = 3",
      "((((a = 1))))                      | a = 1",
      // operators, literal-first order, keywords in any case
      "a <> 1                             | a != 1",
      "3 < passenger_count                | passenger_count > 3",
      "3 <= a or 3 >= b or 3 > c          | a >= 3 OR b <= 3 OR c < 3",
      "'CMT' = vendor_id and 1 != x       | vendor_id = 'CMT' AND x != 1",
      "a is null or b Is Not Null         | a IS NULL OR b IS NOT NULL",
      "not a is null                      | NOT a IS NULL",
      "flag = true or flag != False       | flag = TRUE OR flag != FALSE",
      "a>=-3.5 and b<1e3                  | a >= -3.5 AND b < 1E+3",
      "a = .5 OR a = -.25 OR a = 2.       | a = 0.5 OR a = -0.25 OR a = 2",
      "a = 1.50E-3                        | a = 0.00150",
      "a = 12345678901234567890123        | a = 12345678901234567890123",
      // strings and quoted columns
      "s = 'it''s'                        | s = 'it''s'",
      "s = ''                             | s = ''",
      "s = 'naïve ☃ 𝄞'                    | s = 'naïve ☃ 𝄞'",
      "\"trip distance\" > 2              | \"trip distance\" > 2",
      "\"say \"\"hi\"\"\" = 'x'           | \"say \"\"hi\"\"\" = 'x'",
      "\"plain\" = 1                      | plain = 1",
      "\"and\" = 1                        | \"and\" = 1",
      "\"9lives\" = 1                     | \"9lives\" = 1",
      // IN
      "v in ('CMT', 'VTS')                | v IN ('CMT', 'VTS')",
      "v NOT IN (1, 2.5)                  | v NOT IN (1, 2.5)",
      "NOT v IN (1)                       | v NOT IN (1)",
      "NOT (v NOT IN (1))                 | NOT v NOT IN (1)");
  }

  static Stream<Arguments> reportsSyntaxErrorsWithPositionCases() {
    return cases(
      "passenger_count > AND x = 1 | Expected a literal after '>' at position 18 in filter: "
          + "passenger_count > AND x = 1",
      "a > b                       | Expected a literal (comparing two columns is not supported)"
          + " after '>' at position 4 in filter: a > b",
      "a >                         | Expected a literal after '>' but the filter ended at"
          + " position 3 in filter: a >",
      "a = 1 AND                   | Expected a column name, NOT or '(' after 'AND' but the"
          + " filter ended at position 9 in filter: a = 1 AND",
      "a = 1 b = 2                 | Expected AND, OR or the end of the filter after '1' at"
          + " position 6 in filter: a = 1 b = 2",
      "a = 1)                      | Expected AND, OR or the end of the filter (no matching '(')"
          + " after '1' at position 5 in filter: a = 1)",
      "(a = 1                      | Expected ')' to close the '(' at position 0 after '1' but"
          + " the filter ended at position 6 in filter: (a = 1",
      "a                           | Expected a comparison operator (= != <> < <= > >=), IS or IN"
          + " after 'a' but the filter ended at position 1 in filter: a",
      "a IS 1                      | Expected NULL or NOT NULL after 'IS' at position 5 in"
          + " filter: a IS 1",
      "a is not 1                  | Expected NULL after 'not' at position 9 in filter: a is"
          + " not 1",
      "a NOT 1                     | Expected IN after 'NOT' at position 6 in filter: a NOT 1",
      "a IN 1                      | Expected '(' after 'IN' at position 5 in filter: a IN 1",
      "a IN ()                     | Expected a literal after '(' at position 6 in filter: a IN ()",
      "a IN (1 2)                  | Expected ',' or ')' after '1' at position 8 in filter:"
          + " a IN (1 2)",
      "1 = 1                       | Expected a column name (a filter compares a column with a"
          + " literal) after '=' at position 4 in filter: 1 = 1",
      "1 IS NULL                   | Expected a comparison operator (= != <> < <= > >=) after '1'"
          + " at position 2 in filter: 1 IS NULL",
      "= 1                         | Expected a column name, NOT or '(' at position 0 in filter:"
          + " = 1",
      "a = 1 OR OR b = 2           | Expected a column name, NOT or '(' after 'OR' at position 9"
          + " in filter: a = 1 OR OR b = 2",
      "a = 'open                   | Unterminated string literal (a quote inside a string is"
          + " written '') at position 4 in filter: a = 'open",
      "\"open = 1                  | Unterminated quoted column name (a quote inside it is"
          + " written \"\") at position 0 in filter: \"open = 1",
      "\"\" = 1                    | Empty quoted column name at position 0 in filter: \"\" = 1",
      "a = 1 # b                   | Unexpected character '#' at position 6 in filter: a = 1 # b",
      "a ! 1                       | Unexpected character '!' at position 2 in filter: a ! 1",
      "a == 1                      | Expected a literal after '=' at position 3 in filter: a == 1",
      "a = 1e                      | Invalid number '1e' (exponent without digits) at position 5"
          + " in filter: a = 1e",
      "a = 12abc                   | Invalid number '12a' at position 4 in filter: a = 12abc",
      "a = 1.2.3                   | Invalid number '1.2.' at position 4 in filter: a = 1.2.3",
      "a = -                       | Unexpected character '-' at position 4 in filter: a = -",
      "a = -.                      | Invalid number '-.' at position 4 in filter: a = -.",
      "größe > 1                   | Unexpected character 'ö' (a column name with characters other"
          + " than A-Z, a-z, 0-9 and _ is written in double quotes: \"größe\") at position 2 in"
          + " filter: größe > 1",
      "and = 1                     | Expected a column name, NOT or '(' at position 0 in filter:"
          + " and = 1");
  }

  /** Each case is "input | expected", split at the first " | " surrounded by spaces. */
  private static Stream<Arguments> cases(String... lines) {
    return Stream.of(lines).map(line -> {
      int bar = line.indexOf(" | ");
      return Arguments.of(line.substring(0, bar).strip(), line.substring(bar + 3).strip());
    });
  }
}
