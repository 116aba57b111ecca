package dev.spindle.jobs.filter;

/**
 * A comparison operator. {@link #outcomes} encodes which results of comparing a column value
 * with a literal make the comparison true: bit 0 = less, bit 1 = equal, bit 2 = greater,
 * bit 3 = unordered (a {@code NaN} is involved), so the kernels test one bit instead of
 * switching on the operator per row.
 */
enum CompareOp {
  EQ("=", 0b0010),
  NE("!=", 0b1101),
  LT("<", 0b0001),
  LE("<=", 0b0011),
  GT(">", 0b0100),
  GE(">=", 0b0110);

  static final int LESS = 0;
  static final int EQUAL = 1;
  static final int GREATER = 2;
  static final int UNORDERED = 3;

  private final String symbol;
  private final int outcomes;

  CompareOp(String symbol, int outcomes) {
    this.symbol = symbol;
    this.outcomes = outcomes;
  }

  String symbol() {
    return symbol;
  }

  /** Bit set of the comparison results (LESS, EQUAL, GREATER, UNORDERED) that make it true. */
  int outcomes() {
    return outcomes;
  }

  boolean isOrdering() {
    return this != EQ && this != NE;
  }

  /** The operator for swapped operands: {@code 3 < x} is {@code x > 3}. */
  CompareOp mirrored() {
    return switch (this) {
      case LT -> GT;
      case LE -> GE;
      case GT -> LT;
      case GE -> LE;
      case EQ, NE -> this;
    };
  }
}
