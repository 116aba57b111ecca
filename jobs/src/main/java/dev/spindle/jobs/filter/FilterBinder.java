package dev.spindle.jobs.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Type-checks a parsed filter against an Arrow schema and turns it into {@link Predicate}s.
 * Literals are converted once, here: numbers against long, date and timestamp columns become an
 * exact integer bound (so {@code x < 3.5} is {@code x <= 3} and {@code x = 3.5} is FALSE for
 * every non-null {@code x}), dates and timestamps are parsed from ISO text.
 */
final class FilterBinder {

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

  private final Schema schema;
  private final String filterText;

  FilterBinder(Schema schema, String filterText) {
    this.schema = schema;
    this.filterText = filterText;
  }

  Predicate bind(Expr expr) {
    if (expr instanceof Expr.And and) {
      return Predicate.Junction.and(bindAll(and.operands()));
    }
    if (expr instanceof Expr.Or or) {
      return Predicate.Junction.or(bindAll(or.operands()));
    }
    if (expr instanceof Expr.Not not) {
      return new Predicate.Not(bind(not.operand()));
    }
    if (expr instanceof Expr.IsNull isNull) {
      return new Predicate.IsNull(column(isNull.column()), isNull.negated());
    }
    if (expr instanceof Expr.In in) {
      List<Predicate> equalities = new ArrayList<>();
      for (Literal value : in.values()) {
        equalities.add(bind(new Expr.Comparison(in.column(), CompareOp.EQ, value)));
      }
      return equalities.size() == 1 ? equalities.get(0) : Predicate.Junction.or(equalities);
    }
    if (expr instanceof Expr.Comparison comparison) {
      return comparison(comparison);
    }
    throw new IllegalStateException("Unknown expression " + expr);
  }

  private List<Predicate> bindAll(List<Expr> operands) {
    List<Predicate> bound = new ArrayList<>(operands.size());
    for (Expr operand : operands) {
      bound.add(bind(operand));
    }
    return bound;
  }

  private Predicate.ColumnRef column(String name) {
    List<Field> fields = schema.getFields();
    for (int i = 0; i < fields.size(); i++) {
      Field field = fields.get(i);
      if (field.getName().equals(name)) {
        Optional<ColumnType> type = ColumnType.of(field.getType());
        if (type.isEmpty()) {
          throw error("Column '" + name + "' has Arrow type " + field.getType()
              + ", which filters cannot compare; supported types: " + ColumnType.SUPPORTED);
        }
        return new Predicate.ColumnRef(i, name, type.get());
      }
    }
    throw new IllegalArgumentException(FilterExpression.unknownColumns(List.of(name),
        fields.stream().map(Field::getName).collect(Collectors.toList())));
  }

  private Predicate comparison(Expr.Comparison comparison) {
    Predicate.ColumnRef column = column(comparison.column());
    CompareOp op = comparison.op();
    Literal literal = comparison.literal();
    return switch (column.type()) {
      case BOOLEAN -> {
        if (!(literal instanceof Literal.Bool bool)) {
          throw mismatch(column, literal, "; compare booleans with TRUE or FALSE");
        }
        if (op.isOrdering()) {
          throw error("Cannot use '" + op.symbol() + "' on column '" + column.name()
              + "' (boolean); only = and != apply to booleans");
        }
        yield new Predicate.BitEquals(column, bool.value() == (op == CompareOp.EQ));
      }
      case LONG -> {
        if (!(literal instanceof Literal.Number number)) {
          throw mismatch(column, literal, "");
        }
        yield integerComparison(column, op, number.value(), LONG_MIN, LONG_MAX);
      }
      case INT -> {
        if (!(literal instanceof Literal.Number number)) {
          throw mismatch(column, literal, "");
        }
        yield integerComparison(column, op, number.value(), INT_MIN, INT_MAX);
      }
      case DOUBLE -> {
        if (!(literal instanceof Literal.Number number)) {
          throw mismatch(column, literal, "");
        }
        yield new Predicate.DoubleComparison(column, op, number.value().doubleValue());
      }
      case DATE -> {
        String text = temporalText(column, literal, "a date such as '2024-01-31'");
        long day;
        try {
          day = LocalDate.parse(text).toEpochDay();
        } catch (DateTimeParseException e) {
          throw mismatch(column, literal, ", which is not an ISO date such as '2024-01-31'");
        }
        yield integerComparison(column, op, BigDecimal.valueOf(day), INT_MIN, INT_MAX);
      }
      case TIMESTAMP, TIMESTAMP_UTC ->
          integerComparison(column, op, timestampMicros(column, literal), LONG_MIN, LONG_MAX);
      case STRING -> {
        if (!(literal instanceof Literal.Text text)) {
          String hint = literal instanceof Literal.Number
              ? "; quote it to compare as text: '" + literal.render() + "'"
              : "";
          throw mismatch(column, literal, hint);
        }
        yield new Predicate.StringComparison(column, op,
            text.value().getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  /**
   * {@code column op value} for a column of integers in {@code [min, max]}, exactly: a value
   * that is not an integer or is out of range becomes an integer bound or a constant.
   */
  private static Predicate integerComparison(Predicate.ColumnRef column, CompareOp op,
      BigDecimal literal, BigInteger min, BigInteger max) {
    BigDecimal value = withinReach(literal, new BigDecimal(min), new BigDecimal(max));
    BigInteger floor = value.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    BigInteger ceiling = value.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    boolean integral = floor.equals(ceiling);
    boolean inRange = floor.compareTo(min) >= 0 && ceiling.compareTo(max) <= 0;
    return switch (op) {
      case EQ, NE -> integral && inRange
          ? new Predicate.IntegerComparison(column, op, floor.longValueExact())
          : new Predicate.Constant(column, op == CompareOp.NE);
      case LT -> atMost(column, ceiling.subtract(BigInteger.ONE), min, max);
      case LE -> atMost(column, floor, min, max);
      case GT -> atLeast(column, floor.add(BigInteger.ONE), min, max);
      case GE -> atLeast(column, ceiling, min, max);
    };
  }

  /**
   * A value that compares like {@code literal} with every integer in {@code [min, max]} and is
   * cheap to round: {@code 1e999999999} or {@code 1e-999999999} would take gigabytes to round
   * to an integer, but compare like {@code max + 0.5} and {@code 0.5}.
   */
  private static BigDecimal withinReach(BigDecimal literal, BigDecimal min, BigDecimal max) {
    BigDecimal half = BigDecimal.valueOf(5, 1);
    if (literal.compareTo(max) > 0) {
      return max.add(half);
    }
    if (literal.compareTo(min) < 0) {
      return min.subtract(half);
    }
    if (literal.signum() != 0 && literal.precision() <= literal.scale()) {
      // 0 < |literal| < 1
      return literal.signum() > 0 ? half : half.negate();
    }
    return literal;
  }

  private static Predicate atMost(Predicate.ColumnRef column, BigInteger bound, BigInteger min,
      BigInteger max) {
    if (bound.compareTo(max) >= 0) {
      return new Predicate.Constant(column, true);
    }
    if (bound.compareTo(min) < 0) {
      return new Predicate.Constant(column, false);
    }
    return new Predicate.IntegerComparison(column, CompareOp.LE, bound.longValueExact());
  }

  private static Predicate atLeast(Predicate.ColumnRef column, BigInteger bound, BigInteger min,
      BigInteger max) {
    if (bound.compareTo(min) <= 0) {
      return new Predicate.Constant(column, true);
    }
    if (bound.compareTo(max) > 0) {
      return new Predicate.Constant(column, false);
    }
    return new Predicate.IntegerComparison(column, CompareOp.GE, bound.longValueExact());
  }

  /**
   * Microseconds since the epoch of a timestamp literal, exact (a literal with nanoseconds has
   * a fraction). Accepted: {@code 2024-01-31}, {@code 2024-01-31T08:00[:00[.123456]]} with
   * {@code T} or a space; for a UTC column also with an offset ({@code Z}, {@code +02:00}), and
   * text without one is read as UTC.
   */
  private BigDecimal timestampMicros(Predicate.ColumnRef column, Literal literal) {
    String example = column.type() == ColumnType.TIMESTAMP
        ? "a timestamp such as '2024-01-31 08:00:00'"
        : "a timestamp such as '2024-01-31 08:00:00Z'";
    String text = temporalText(column, literal, example);
    int space = text.indexOf(' ');
    String isoText = space > 0 ? text.substring(0, space) + 'T' + text.substring(space + 1) : text;
    Instant instant = null;
    try {
      instant = OffsetDateTime.parse(isoText).toInstant();
    } catch (DateTimeParseException e) {
      // not with an offset; try without
    }
    if (instant != null && column.type() == ColumnType.TIMESTAMP) {
      throw mismatch(column, literal,
          ", which has a time zone offset; this column holds local timestamps, remove the offset");
    }
    if (instant == null) {
      try {
        instant = LocalDateTime.parse(isoText).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        try {
          instant = LocalDate.parse(isoText).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e2) {
          throw mismatch(column, literal, ", which is not " + example.replace("a timestamp",
              "an ISO timestamp"));
        }
      }
    }
    return BigDecimal.valueOf(instant.getEpochSecond()).movePointRight(6)
        .add(BigDecimal.valueOf(instant.getNano()).movePointLeft(3));
  }

  private String temporalText(Predicate.ColumnRef column, Literal literal, String example) {
    if (!(literal instanceof Literal.Text text)) {
      throw mismatch(column, literal, "; write " + example + " in single quotes");
    }
    return text.value();
  }

  private IllegalArgumentException mismatch(Predicate.ColumnRef column, Literal literal,
      String hint) {
    return error("Cannot compare column '" + column.name() + "' (" + column.type().displayName()
        + ") with the " + literal.kind() + " " + literal.render() + hint);
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " in filter: " + filterText);
  }
}
