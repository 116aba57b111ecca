package dev.spindle.jobs.filter;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The parsed form of a filter. Records, so two parses of equivalent text compare equal; the
 * parser keeps it canonical: comparisons have the column on the left, {@code AND}/{@code OR}
 * are n-ary and never directly nested in the same operator. A job spec carries the tree as JSON,
 * each node named by its {@code node} property.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "node")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Expr.Comparison.class, name = "compare"),
  @JsonSubTypes.Type(value = Expr.IsNull.class, name = "is-null"),
  @JsonSubTypes.Type(value = Expr.In.class, name = "in"),
  @JsonSubTypes.Type(value = Expr.Not.class, name = "not"),
  @JsonSubTypes.Type(value = Expr.And.class, name = "and"),
  @JsonSubTypes.Type(value = Expr.Or.class, name = "or")
})
sealed interface Expr {

  /** Appends the canonical text, with only the parentheses that precedence requires. */
  void render(StringBuilder out);

  /** Adds every referenced column name, in order of appearance. */
  void collectColumns(Set<String> columns);

  /** {@code column op literal}. */
  record Comparison(String column, CompareOp op, Literal literal) implements Expr {
    public Comparison {
      Objects.requireNonNull(column, "column is null");
      Objects.requireNonNull(op, "op is null");
      Objects.requireNonNull(literal, "literal is null");
    }

    @Override
    public void render(StringBuilder out) {
      out.append(FilterLexer.quoteColumn(column)).append(' ').append(op.symbol()).append(' ');
      out.append(literal.render());
    }

    @Override
    public void collectColumns(Set<String> columns) {
      columns.add(column);
    }
  }

  /** {@code column IS NULL}, or {@code column IS NOT NULL} when {@code negated}. */
  record IsNull(String column, boolean negated) implements Expr {
    public IsNull {
      Objects.requireNonNull(column, "column is null");
    }

    @Override
    public void render(StringBuilder out) {
      out.append(FilterLexer.quoteColumn(column)).append(negated ? " IS NOT NULL" : " IS NULL");
    }

    @Override
    public void collectColumns(Set<String> columns) {
      columns.add(column);
    }
  }

  /** {@code column IN (v1, v2, ...)}: true when the column equals any of the values. */
  record In(String column, List<Literal> values) implements Expr {
    public In {
      Objects.requireNonNull(column, "column is null");
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("IN needs at least one value");
      }
    }

    @Override
    public void render(StringBuilder out) {
      renderList(out, " IN (");
    }

    void renderList(StringBuilder out, String keyword) {
      out.append(FilterLexer.quoteColumn(column)).append(keyword);
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        out.append(values.get(i).render());
      }
      out.append(')');
    }

    @Override
    public void collectColumns(Set<String> columns) {
      columns.add(column);
    }
  }

  /** {@code NOT operand}; {@code x NOT IN (...)} is a {@code Not} of an {@link In}. */
  record Not(Expr operand) implements Expr {
    public Not {
      Objects.requireNonNull(operand, "operand is null");
    }

    @Override
    public void render(StringBuilder out) {
      if (operand instanceof In in) {
        in.renderList(out, " NOT IN (");
        return;
      }
      out.append("NOT ");
      renderOperand(out, operand, operand instanceof And || operand instanceof Or);
    }

    @Override
    public void collectColumns(Set<String> columns) {
      operand.collectColumns(columns);
    }
  }

  /** All operands true; at least two, none of them an {@code And}. */
  record And(List<Expr> operands) implements Expr {
    public And {
      operands = List.copyOf(operands);
    }

    @Override
    public void render(StringBuilder out) {
      for (int i = 0; i < operands.size(); i++) {
        if (i > 0) {
          out.append(" AND ");
        }
        Expr operand = operands.get(i);
        renderOperand(out, operand, operand instanceof Or);
      }
    }

    @Override
    public void collectColumns(Set<String> columns) {
      operands.forEach(operand -> operand.collectColumns(columns));
    }
  }

  /** Any operand true; at least two, none of them an {@code Or}. */
  record Or(List<Expr> operands) implements Expr {
    public Or {
      operands = List.copyOf(operands);
    }

    @Override
    public void render(StringBuilder out) {
      for (int i = 0; i < operands.size(); i++) {
        if (i > 0) {
          out.append(" OR ");
        }
        operands.get(i).render(out);
      }
    }

    @Override
    public void collectColumns(Set<String> columns) {
      operands.forEach(operand -> operand.collectColumns(columns));
    }
  }

  private static void renderOperand(StringBuilder out, Expr operand, boolean parenthesize) {
    if (parenthesize) {
      out.append('(');
    }
    operand.render(out);
    if (parenthesize) {
      out.append(')');
    }
  }
}
