package dev.spindle.jobs.filter;

import dev.spindle.jobs.filter.FilterLexer.Kind;
import dev.spindle.jobs.filter.FilterLexer.Token;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the filter grammar:
 *
 * <pre>
 * filter     := or END
 * or         := and ("OR" and)*
 * and        := not ("AND" not)*
 * not        := "NOT" not | primary
 * primary    := "(" or ")" | predicate
 * predicate  := column compare-op literal
 *             | literal compare-op column
 *             | column "IS" ["NOT"] "NULL"
 *             | column ["NOT"] "IN" "(" literal ("," literal)* ")"
 * compare-op := "=" | "!=" | "&lt;&gt;" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
 * literal    := string | number | "TRUE" | "FALSE"
 * column     := identifier | double-quoted name
 * </pre>
 */
final class FilterParser {

  /** Deepest nesting of parentheses and NOTs; keeps a hostile filter from overflowing the stack. */
  static final int MAX_DEPTH = 200;

  private final String text;
  private final List<Token> tokens;
  private int index;
  private int depth;

  private FilterParser(String text) {
    this.text = text;
    this.tokens = FilterLexer.tokenize(text);
  }

  static Expr parse(String text) {
    FilterParser parser = new FilterParser(text);
    if (parser.current().kind() == Kind.END) {
      throw syntaxError("Empty filter: expected a condition such as x = 1", 0, text);
    }
    Expr expr = parser.or();
    Token end = parser.current();
    if (end.kind() != Kind.END) {
      String hint = end.kind() == Kind.RIGHT_PAREN ? " (no matching '(')" : "";
      throw parser.expected("AND, OR or the end of the filter" + hint);
    }
    return expr;
  }

  /** The one format of every syntax error: what, then where, then the filter text. */
  static IllegalArgumentException syntaxError(String what, int position, String text) {
    return new IllegalArgumentException(
        what + " at position " + position + " in filter: " + text);
  }

  private Expr or() {
    List<Expr> operands = new ArrayList<>();
    addFlattened(operands, and(), Expr.Or.class);
    while (current().isKeyword("OR")) {
      index++;
      addFlattened(operands, and(), Expr.Or.class);
    }
    return operands.size() == 1 ? operands.get(0) : new Expr.Or(operands);
  }

  private Expr and() {
    List<Expr> operands = new ArrayList<>();
    addFlattened(operands, not(), Expr.And.class);
    while (current().isKeyword("AND")) {
      index++;
      addFlattened(operands, not(), Expr.And.class);
    }
    return operands.size() == 1 ? operands.get(0) : new Expr.And(operands);
  }

  private static void addFlattened(List<Expr> operands, Expr operand, Class<? extends Expr> kind) {
    if (operand instanceof Expr.And and && kind == Expr.And.class) {
      operands.addAll(and.operands());
    } else if (operand instanceof Expr.Or or && kind == Expr.Or.class) {
      operands.addAll(or.operands());
    } else {
      operands.add(operand);
    }
  }

  private Expr not() {
    if (current().isKeyword("NOT")) {
      enter();
      index++;
      Expr operand = not();
      depth--;
      return new Expr.Not(operand);
    }
    return primary();
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw syntaxError("Filter nests parentheses and NOTs deeper than " + MAX_DEPTH
          + " levels", current().position(), text);
    }
  }

  private Expr primary() {
    Token token = current();
    if (token.kind() == Kind.LEFT_PAREN) {
      enter();
      index++;
      Expr inner = or();
      if (current().kind() != Kind.RIGHT_PAREN) {
        throw expected("')' to close the '(' at position " + token.position());
      }
      index++;
      depth--;
      return inner;
    }
    if (isColumn(token)) {
      index++;
      return afterColumn(token.value());
    }
    if (isLiteral(token)) {
      Literal literal = literal();
      Token operator = current();
      if (operator.kind() != Kind.OPERATOR) {
        throw expected("a comparison operator (= != <> < <= > >=)");
      }
      index++;
      if (!isColumn(current())) {
        throw expected("a column name (a filter compares a column with a literal)");
      }
      String column = current().value();
      index++;
      return new Expr.Comparison(column, op(operator).mirrored(), literal);
    }
    throw expected("a column name, NOT or '('");
  }

  private Expr afterColumn(String column) {
    Token token = current();
    if (token.kind() == Kind.OPERATOR) {
      index++;
      if (!isLiteral(current())) {
        String hint = isColumn(current()) ? " (comparing two columns is not supported)" : "";
        throw expected("a literal" + hint);
      }
      return new Expr.Comparison(column, op(token), literal());
    }
    if (token.isKeyword("IS")) {
      index++;
      boolean negated = current().isKeyword("NOT");
      if (negated) {
        index++;
      }
      if (!current().isKeyword("NULL")) {
        throw expected(negated ? "NULL" : "NULL or NOT NULL");
      }
      index++;
      return new Expr.IsNull(column, negated);
    }
    if (token.isKeyword("NOT")) {
      index++;
      if (!current().isKeyword("IN")) {
        throw expected("IN");
      }
      index++;
      return new Expr.Not(inList(column));
    }
    if (token.isKeyword("IN")) {
      index++;
      return inList(column);
    }
    throw expected("a comparison operator (= != <> < <= > >=), IS or IN");
  }

  private Expr inList(String column) {
    if (current().kind() != Kind.LEFT_PAREN) {
      throw expected("'('");
    }
    index++;
    List<Literal> values = new ArrayList<>();
    while (true) {
      if (!isLiteral(current())) {
        throw expected("a literal");
      }
      values.add(literal());
      if (current().kind() == Kind.COMMA) {
        index++;
      } else if (current().kind() == Kind.RIGHT_PAREN) {
        index++;
        return new Expr.In(column, values);
      } else {
        throw expected("',' or ')'");
      }
    }
  }

  private Literal literal() {
    Token token = current();
    index++;
    return switch (token.kind()) {
      case STRING -> new Literal.Text(token.value());
      case NUMBER -> new Literal.Number(new BigDecimal(token.value()));
      case KEYWORD -> new Literal.Bool(token.value().equals("TRUE"));
      default -> throw new IllegalStateException("Not a literal: " + token);
    };
  }

  private static CompareOp op(Token operator) {
    return switch (operator.value()) {
      case "=" -> CompareOp.EQ;
      case "!=" -> CompareOp.NE;
      case "<" -> CompareOp.LT;
      case "<=" -> CompareOp.LE;
      case ">" -> CompareOp.GT;
      case ">=" -> CompareOp.GE;
      default -> throw new IllegalStateException("Not an operator: " + operator);
    };
  }

  private static boolean isColumn(Token token) {
    return token.kind() == Kind.IDENTIFIER || token.kind() == Kind.QUOTED_IDENTIFIER;
  }

  private static boolean isLiteral(Token token) {
    return token.kind() == Kind.STRING
        || token.kind() == Kind.NUMBER
        || token.isKeyword("TRUE")
        || token.isKeyword("FALSE");
  }

  private Token current() {
    return tokens.get(index);
  }

  /** "Expected X after 'previous token' at position N in filter: text". */
  private IllegalArgumentException expected(String what) {
    Token found = current();
    String after = index == 0 ? "" : " after '" + tokens.get(index - 1).source() + "'";
    String foundText = found.kind() == Kind.END ? " but the filter ended" : "";
    return syntaxError("Expected " + what + after + foundText, found.position(), text);
  }
}
