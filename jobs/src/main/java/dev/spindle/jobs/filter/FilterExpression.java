package dev.spindle.jobs.filter;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A parsed row filter, such as
 * {@code passenger_count > 3 AND (vendor_id = 'CMT' OR trip_distance IS NULL)}.
 *
 * <p>Grammar: comparisons {@code = != <> < <= > >=} between a column and a literal, in either
 * order; {@code column IS [NOT] NULL}; {@code column [NOT] IN (literal, ...)}; {@code NOT},
 * {@code AND}, {@code OR} (binding in that order, tightest first) and parentheses. Literals are
 * single-quoted strings ({@code ''} is a quote), numbers ({@code 3}, {@code -2.5},
 * {@code 1e6}) and {@code TRUE}/{@code FALSE}. Columns are identifiers
 * {@code [A-Za-z_][A-Za-z0-9_]*} or double-quoted names ({@code "trip distance"}, {@code ""} is a
 * quote). Keywords are case-insensitive, column names are not.
 *
 * <p>Values are immutable and thread-safe; two expressions are equal when their canonical
 * forms are.
 */
public final class FilterExpression {

  private final String text;
  private final Expr expr;
  private final String canonical;
  private final Set<String> columns;

  private FilterExpression(String text, Expr expr) {
    this.text = text;
    this.expr = expr;
    StringBuilder out = new StringBuilder();
    expr.render(out);
    this.canonical = out.toString();
    Set<String> referenced = new LinkedHashSet<>();
    expr.collectColumns(referenced);
    this.columns = Collections.unmodifiableSet(referenced);
  }

  /**
   * The filter whose tree is {@code expr}, as a job spec carries it: no text to parse, so
   * errors quote the canonical form.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static FilterExpression fromTree(Expr expr) {
    Objects.requireNonNull(expr, "expr is null");
    StringBuilder text = new StringBuilder();
    expr.render(text);
    return new FilterExpression(text.toString(), expr);
  }

  /** The expression tree: what a job spec serializes. */
  @JsonValue
  Expr tree() {
    return expr;
  }

  /**
   * Parses filter text.
   *
   * @throws IllegalArgumentException on a syntax error, saying what was expected and where:
   *     {@code Expected a literal after '>' at position 18 in filter: passenger_count > AND x = 1}
   *     (positions count characters from 0)
   */
  public static FilterExpression parse(String text) {
    Objects.requireNonNull(text, "text is null");
    return new FilterExpression(text, FilterParser.parse(text));
  }

  /** The referenced column names, in order of first appearance. */
  public Set<String> columns() {
    return columns;
  }

  /**
   * Checks that every referenced column is one of {@code validColumns}, before any types are
   * known (for example when the job is submitted).
   *
   * @throws IllegalArgumentException naming the unknown columns and listing the valid ones:
   *     {@code Unknown column 'passanger_count' in filter; valid columns: medallion, ...}
   */
  public void checkColumns(List<String> validColumns) {
    Objects.requireNonNull(validColumns, "validColumns is null");
    List<String> unknown = new ArrayList<>();
    for (String column : columns) {
      if (!validColumns.contains(column)) {
        unknown.add(column);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(unknownColumns(unknown, validColumns));
    }
  }

  /**
   * Type-checks the filter against a batch schema and prepares it for evaluation.
   *
   * <p>Column types: Arrow {@code Bool} (compared with TRUE/FALSE, by = and != only),
   * {@code Int(64, signed)} and {@code FloatingPoint(DOUBLE)} (with numbers; a long column and
   * a decimal literal compare exactly, a double column with the literal rounded to a double,
   * and NaN compares false to everything except {@code !=}), {@code Date(DAY)} (with an ISO
   * date string {@code '2024-01-31'}), {@code Timestamp(MICROSECOND)} without a time zone (with
   * an ISO local timestamp string, {@code T} or a space between date and time, or a date) and
   * with time zone "UTC" (the same, or with an offset such as {@code Z}), {@code Utf8} (with
   * strings, ordered by code point).
   *
   * @throws IllegalArgumentException when a column is missing (listing the schema's columns),
   *     has a type filters do not support, or cannot be compared with its literal (naming the
   *     column, its type and the literal)
   */
  public BoundFilter bind(Schema schema) {
    Objects.requireNonNull(schema, "schema is null");
    Predicate predicate = new FilterBinder(schema, text).bind(expr);
    return new CompiledFilter(predicate, canonical);
  }

  /**
   * The canonical form: upper-case keywords, {@code !=} for {@code <>}, the column left of the
   * operator, single spaces, only the parentheses precedence needs. Parsing it gives an equal
   * expression.
   */
  @Override
  public String toString() {
    return canonical;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FilterExpression that && expr.equals(that.expr);
  }

  @Override
  public int hashCode() {
    return expr.hashCode();
  }

  /** "Unknown column 'x' in filter; valid columns: a, b, c". */
  static String unknownColumns(List<String> unknown, List<String> validColumns) {
    StringBuilder message =
        new StringBuilder(unknown.size() == 1 ? "Unknown column " : "Unknown columns ");
    for (int i = 0; i < unknown.size(); i++) {
      message.append(i == 0 ? "" : ", ").append('\'').append(unknown.get(i)).append('\'');
    }
    message.append(" in filter; valid columns: ").append(String.join(", ", validColumns));
    return message.toString();
  }
}
