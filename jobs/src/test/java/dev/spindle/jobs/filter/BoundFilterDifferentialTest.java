package dev.spindle.jobs.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/**
 * Random batches (all seven vector types, with nulls) and random filters: {@link BoundFilter}
 * must select exactly the rows a naive row-at-a-time evaluator over boxed Java values selects
 * under SQL three-valued logic. The seed is random unless {@code -Dspindle.filter.seed=N} pins
 * it, and every failure message starts with it.
 */
class BoundFilterDifferentialTest {

  private static final int BATCHES = 120;
  private static final int FILTERS_PER_BATCH = 20;

  static final String[] NAMES = {"flag", "n", "x", "d", "ts", "tsz", "vendor id"};
  private static final Schema SCHEMA = TestBatches.schema(
      NAMES[0], TestBatches.BOOL, NAMES[1], TestBatches.LONG, NAMES[2], TestBatches.DOUBLE,
      NAMES[3], TestBatches.DATE, NAMES[4], TestBatches.TIMESTAMP, NAMES[5],
      TestBatches.TIMESTAMP_UTC, NAMES[6], TestBatches.STRING);
  private static final int FLAG = 0;
  private static final int LONG = 1;
  private static final int DOUBLE = 2;
  private static final int DATE = 3;
  private static final int TIMESTAMP = 4;
  private static final int TIMESTAMP_UTC = 5;
  private static final int STRING = 6;

  private static final long[] LONGS = {0, 1, -1, 2, 3, 100, -100, Long.MIN_VALUE,
      Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1, Integer.MAX_VALUE,
      Integer.MIN_VALUE, 1L << 53, (1L << 53) + 1};
  private static final double[] DOUBLES = {0.0, -0.0, 0.1, 1.5, -1.5, 2.0, 3.0, 100.0,
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300,
      Double.MIN_VALUE, Double.MAX_VALUE, 9007199254740993.0};
  private static final int[] DAYS = {0, -1, 1, 19753, 19754, 19752, 19783, -719528,
      Integer.MAX_VALUE, Integer.MIN_VALUE, 2932896};
  private static final long[] MICROS = {0, 1, -1, 1_706_688_000_000_000L,
      1_706_688_000_000_001L, 1_706_687_999_999_999L, -62_135_596_800_000_000L,
      253_402_300_799_999_999L, Long.MAX_VALUE - 1_000_000, Long.MIN_VALUE + 1_000_000};
  private static final String[] STRINGS = {"", "a", "ab", "b", "CMT", "CMTX", "VTS", "ä", "z",
      "\uFFFF", "\uE000", "\uD834\uDD1E", "it's", "a\u0000", "Z", "naïve"};

  /** A reference filter: renders itself as text and evaluates a row to TRUE, FALSE or null. */
  interface Node {
    String render(Random random, int parentPrecedence);

    Boolean evaluate(Object[] row);

    int precedence();
  }

  private record Comparison(int column, CompareOp op, String literal, Object constant)
      implements Node {
    @Override
    public String render(Random random, int parentPrecedence) {
      String symbol = op == CompareOp.NE && random.nextBoolean() ? "<>" : op.symbol();
      String text;
      if (random.nextInt(4) == 0) {
        String mirrored = op.mirrored() == CompareOp.NE ? symbol : op.mirrored().symbol();
        text = literal + " " + mirrored + " " + columnText(column);
      } else {
        text = columnText(column) + spaces(random) + symbol + spaces(random) + literal;
      }
      return maybeParenthesize(text, random, false);
    }

    @Override
    public Boolean evaluate(Object[] row) {
      Object value = row[column];
      if (value == null) {
        return null;
      }
      if (column == DOUBLE) {
        double v = (Double) value;
        double c = (Double) constant;
        if (Double.isNaN(v) || Double.isNaN(c)) {
          return op == CompareOp.NE;
        }
        return holds(op, v < c ? -1 : v > c ? 1 : 0);
      }
      int sign = switch (column) {
        case FLAG -> value.equals(constant) ? 0 : 1;
        case LONG -> new BigDecimal((Long) value).compareTo((BigDecimal) constant);
        case DATE -> ((LocalDate) value).compareTo((LocalDate) constant);
        case TIMESTAMP -> ((LocalDateTime) value).compareTo((LocalDateTime) constant);
        case TIMESTAMP_UTC -> Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS)
            .compareTo((Instant) constant);
        case STRING -> compareCodePoints((String) value, (String) constant);
        default -> throw new IllegalStateException("column " + column);
      };
      return holds(op, Integer.signum(sign));
    }

    @Override
    public int precedence() {
      return 4;
    }
  }

  private record IsNull(int column, boolean negated) implements Node {
    @Override
    public String render(Random random, int parentPrecedence) {
      String text = columnText(column) + keyword(random, negated ? " is not null" : " is null");
      return maybeParenthesize(text, random, false);
    }

    @Override
    public Boolean evaluate(Object[] row) {
      return (row[column] == null) != negated;
    }

    @Override
    public int precedence() {
      return 4;
    }
  }

  private record In(int column, List<Comparison> equalities, boolean negated) implements Node {
    @Override
    public String render(Random random, int parentPrecedence) {
      StringBuilder text = new StringBuilder(columnText(column))
          .append(keyword(random, negated ? " not in (" : " in ("));
      for (int i = 0; i < equalities.size(); i++) {
        text.append(i == 0 ? "" : "," + spaces(random)).append(equalities.get(i).literal());
      }
      return maybeParenthesize(text.append(')').toString(), random, false);
    }

    @Override
    public Boolean evaluate(Object[] row) {
      Boolean any = false;
      for (Comparison equality : equalities) {
        any = or(any, equality.evaluate(row));
      }
      return negated ? not(any) : any;
    }

    @Override
    public int precedence() {
      return 4;
    }
  }

  private record Not(Node operand) implements Node {
    @Override
    public String render(Random random, int parentPrecedence) {
      String text = keyword(random, "not ") + operand.render(random, precedence());
      return maybeParenthesize(text, random, parentPrecedence > precedence());
    }

    @Override
    public Boolean evaluate(Object[] row) {
      return not(operand.evaluate(row));
    }

    @Override
    public int precedence() {
      return 3;
    }
  }

  private record Junction(boolean isAnd, List<Node> operands) implements Node {
    @Override
    public String render(Random random, int parentPrecedence) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < operands.size(); i++) {
        if (i > 0) {
          text.append(keyword(random, isAnd ? " and " : " or "));
        }
        text.append(operands.get(i).render(random, precedence()));
      }
      return maybeParenthesize(text.toString(), random, parentPrecedence > precedence());
    }

    @Override
    public Boolean evaluate(Object[] row) {
      Boolean result = isAnd;
      for (Node operand : operands) {
        Boolean value = operand.evaluate(row);
        result = isAnd ? and(result, value) : or(result, value);
      }
      return result;
    }

    @Override
    public int precedence() {
      return isAnd ? 2 : 1;
    }
  }

  @Test
  void selectsWhatARowAtATimeReferenceSelects() {
    long seed = Long.getLong("spindle.filter.seed", new Random().nextLong());
    Random random = new Random(seed);
    int rowsSelected = 0;
    try (RootAllocator allocator = new RootAllocator()) {
      // the first filter is bound once and then sees batches of every size
      Node reusedNode = null;
      BoundFilter reusedFilter = null;
      for (int b = 0; b < BATCHES; b++) {
        List<Object[]> rows = randomRows(random);
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, SCHEMA, rows)) {
          int[] selection = new int[rows.size() + random.nextInt(3)];
          for (int f = 0; f < FILTERS_PER_BATCH; f++) {
            Node node = f == 0 && reusedNode != null ? reusedNode : randomNode(random, 0);
            String text = node.render(random, 0);
            String context = "seed=" + seed + " (rerun with -Dspindle.filter.seed=" + seed
                + "), batch " + b + " of " + rows.size() + " rows, filter: " + text;
            try {
              BoundFilter bound;
              if (node == reusedNode) {
                bound = reusedFilter;
              } else {
                bound = parseChecked(text, context).bind(SCHEMA);
                if (reusedNode == null) {
                  reusedNode = node;
                  reusedFilter = bound;
                }
              }
              rowsSelected += check(node, bound, batch, rows, selection, context);
            } catch (RuntimeException e) {
              throw new AssertionError(context, e);
            }
          }
        }
      }
      assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory leaked, seed=" + seed);
    }
    // a generator that never selects anything would make this test vacuous
    assertTrue(rowsSelected > BATCHES, "seed=" + seed + " selected only " + rowsSelected
        + " rows");
  }

  /** Runs the filter and the reference over one batch; returns the number of selected rows. */
  private static int check(Node node, BoundFilter bound, VectorSchemaRoot batch,
      List<Object[]> rows, int[] selection, String context) {
    List<Integer> expected = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      if (Boolean.TRUE.equals(node.evaluate(rows.get(r)))) {
        expected.add(r);
      }
    }
    int count = bound.select(batch, selection);
    List<Integer> actual = Arrays.stream(selection, 0, count).boxed().toList();
    if (!expected.equals(actual)) {
      assertEquals(expected, actual, context + firstDifference(expected, actual, rows));
    }
    return count;
  }

  /** Parses, and checks that the canonical form parses back to an equal expression. */
  private static FilterExpression parseChecked(String text, String context) {
    FilterExpression expression = FilterExpression.parse(text);
    FilterExpression reparsed = FilterExpression.parse(expression.toString());
    assertEquals(expression, reparsed, context + "; canonical: " + expression);
    assertEquals(expression.toString(), reparsed.toString(), context);
    return expression;
  }

  private static String firstDifference(List<Integer> expected, List<Integer> actual,
      List<Object[]> rows) {
    for (int r = 0; r < rows.size(); r++) {
      if (expected.contains(r) != actual.contains(r)) {
        return "; first differing row " + r + " (reference selects it: " + expected.contains(r)
            + "): " + Arrays.toString(rows.get(r));
      }
    }
    return "";
  }

  // ---- random data ----

  private static List<Object[]> randomRows(Random random) {
    int[] sizes = {0, 1, 2, 63, 64, 65, 127, 128, 129};
    int size = random.nextInt(3) == 0 ? sizes[random.nextInt(sizes.length)]
        : random.nextInt(300);
    double[] nullRate = new double[NAMES.length];
    double[] rates = {0, 0, 0.1, 0.3, 0.5, 1.0};
    for (int c = 0; c < NAMES.length; c++) {
      nullRate[c] = rates[random.nextInt(rates.length)];
    }
    List<Object[]> rows = new ArrayList<>(size);
    for (int r = 0; r < size; r++) {
      Object[] row = new Object[NAMES.length];
      for (int c = 0; c < NAMES.length; c++) {
        row[c] = random.nextDouble() < nullRate[c] ? null : randomValue(random, c);
      }
      rows.add(row);
    }
    return rows;
  }

  static Object randomValue(Random random, int column) {
    boolean fromPool = random.nextInt(4) != 0;
    return switch (column) {
      case FLAG -> random.nextBoolean();
      case LONG -> fromPool ? LONGS[random.nextInt(LONGS.length)] : (long) random.nextInt(11) - 5;
      case DOUBLE -> fromPool ? DOUBLES[random.nextInt(DOUBLES.length)]
          : (random.nextInt(21) - 10) / 4.0;
      case DATE -> LocalDate.ofEpochDay(
          fromPool ? DAYS[random.nextInt(DAYS.length)] : 19753 + random.nextInt(7) - 3);
      case TIMESTAMP -> localTime(fromPool ? MICROS[random.nextInt(MICROS.length)]
          : 1_706_688_000_000_000L + random.nextInt(7) - 3);
      case TIMESTAMP_UTC -> fromPool ? MICROS[random.nextInt(MICROS.length)]
          : 1_706_688_000_000_000L + random.nextInt(7) - 3;
      case STRING -> STRINGS[random.nextInt(STRINGS.length)];
      default -> throw new IllegalStateException("column " + column);
    };
  }

  private static LocalDateTime localTime(long micros) {
    return LocalDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  // ---- random filters ----

  static Node randomNode(Random random, int depth) {
    int choice = random.nextInt(depth >= 3 ? 3 : 6);
    switch (choice) {
      case 0, 1:
        return randomComparison(random, random.nextInt(NAMES.length));
      case 2:
        return random.nextInt(3) == 0
            ? new IsNull(random.nextInt(NAMES.length), random.nextBoolean())
            : randomIn(random);
      case 3:
        return new Not(randomNode(random, depth + 1));
      default: {
        List<Node> operands = new ArrayList<>();
        int count = 2 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
          operands.add(randomNode(random, depth + 1));
        }
        return new Junction(choice == 4, operands);
      }
    }
  }

  private static Node randomIn(Random random) {
    int column = 1 + random.nextInt(NAMES.length - 1);
    List<Comparison> equalities = new ArrayList<>();
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      Comparison comparison = randomComparison(random, column);
      equalities.add(new Comparison(column, CompareOp.EQ, comparison.literal(),
          comparison.constant()));
    }
    return new In(column, equalities, random.nextBoolean());
  }

  private static Comparison randomComparison(Random random, int column) {
    CompareOp[] ops = CompareOp.values();
    CompareOp op = column == FLAG
        ? (random.nextBoolean() ? CompareOp.EQ : CompareOp.NE)
        : ops[random.nextInt(ops.length)];
    Object value = randomValue(random, column);
    switch (column) {
      case FLAG: {
        boolean flag = (Boolean) value;
        String literal = keyword(random, flag ? "true" : "false");
        return new Comparison(column, op, literal, flag);
      }
      case LONG: {
        String literal = switch (random.nextInt(8)) {
          case 0 -> value + ".5";
          case 1 -> value + ".0";
          case 2 -> new BigDecimal((Long) value).add(new BigDecimal("1e-30")).toString();
          case 3 -> (random.nextBoolean() ? "-" : "") + "1e" + random.nextInt(40);
          case 4 -> random.nextBoolean() ? "9223372036854775808" : "-9223372036854775809";
          default -> value.toString();
        };
        return new Comparison(column, op, literal, new BigDecimal(literal));
      }
      case DOUBLE: {
        double v = (Double) value;
        String literal = switch (random.nextInt(6)) {
          case 0 -> "1e400";
          case 1 -> "-1e-400";
          case 2 -> new BigDecimal(random.nextInt(2001) - 1000).movePointLeft(random.nextInt(3))
              .toString();
          default -> Double.isFinite(v) ? Double.toString(v) : "0.1";
        };
        return new Comparison(column, op, literal, Double.parseDouble(literal));
      }
      case DATE: {
        LocalDate date = ((LocalDate) value).plusDays(random.nextInt(3) - 1);
        return new Comparison(column, op, "'" + date + "'", date);
      }
      case TIMESTAMP: {
        LocalDateTime time = (LocalDateTime) value;
        String text = time.toString();
        switch (random.nextInt(5)) {
          case 0 -> text = text.replace('T', ' ');
          case 1 -> {
            time = time.plusNanos(random.nextBoolean() ? 500 : -1);
            text = time.toString();
          }
          case 2 -> {
            time = time.toLocalDate().atStartOfDay();
            text = time.toLocalDate().toString();
          }
          default -> { }
        }
        return new Comparison(column, op, "'" + text + "'", time);
      }
      case TIMESTAMP_UTC: {
        Instant instant = Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS);
        if (random.nextInt(4) == 0) {
          instant = instant.plusNanos(random.nextBoolean() ? 500 : -1);
        }
        String text = switch (random.nextInt(4)) {
          case 0 -> OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(2)).toString();
          case 1 -> LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
          case 2 -> LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString().replace('T', ' ')
              + "Z";
          default -> instant.toString();
        };
        return new Comparison(column, op, "'" + text + "'", parseInstant(text));
      }
      case STRING: {
        String text = (String) value;
        return new Comparison(column, op, "'" + text.replace("'", "''") + "'", text);
      }
      default:
        throw new IllegalStateException("column " + column);
    }
  }

  /** The reference's own reading of a UTC timestamp literal. */
  private static Instant parseInstant(String text) {
    String iso = text.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
    }
  }

  // ---- rendering and three-valued logic ----

  private static String columnText(int column) {
    return column == STRING ? "\"" + NAMES[column] + "\"" : NAMES[column];
  }

  private static String keyword(Random random, String lowerCase) {
    return switch (random.nextInt(3)) {
      case 0 -> lowerCase;
      case 1 -> lowerCase.toUpperCase(Locale.ROOT);
      default -> lowerCase.substring(0, 1).toUpperCase(Locale.ROOT) + lowerCase.substring(1);
    };
  }

  private static String spaces(Random random) {
    return random.nextInt(4) == 0 ? "" : " ";
  }

  private static String maybeParenthesize(String text, Random random, boolean required) {
    return required || random.nextInt(8) == 0 ? "(" + text + ")" : text;
  }

  private static boolean holds(CompareOp op, int sign) {
    return switch (op) {
      case EQ -> sign == 0;
      case NE -> sign != 0;
      case LT -> sign < 0;
      case LE -> sign <= 0;
      case GT -> sign > 0;
      case GE -> sign >= 0;
    };
  }

  private static int compareCodePoints(String a, String b) {
    return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  private static Boolean not(Boolean value) {
    return value == null ? null : !value;
  }

  private static Boolean and(Boolean a, Boolean b) {
    if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
      return false;
    }
    return a == null || b == null ? null : true;
  }

  private static Boolean or(Boolean a, Boolean b) {
    if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
      return true;
    }
    return a == null || b == null ? null : false;
  }
}
