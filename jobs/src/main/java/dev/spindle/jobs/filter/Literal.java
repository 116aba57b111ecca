package dev.spindle.jobs.filter;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigDecimal;
import java.util.Objects;

/** A constant in a filter: a quoted string, a number, or TRUE/FALSE. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Literal.Text.class, name = "string"),
  @JsonSubTypes.Type(value = Literal.Number.class, name = "number"),
  @JsonSubTypes.Type(value = Literal.Bool.class, name = "boolean")
})
sealed interface Literal {

  /** How the literal reads in canonical filter text. */
  String render();

  /** What kind of literal this is, for error messages: "string", "number", "boolean". */
  String kind();

  /** A single-quoted string; {@code value} is the unescaped text. */
  record Text(String value) implements Literal {
    public Text {
      Objects.requireNonNull(value, "value is null");
    }

    @Override
    public String render() {
      return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public String kind() {
      return "string";
    }
  }

  /**
   * A number, kept exact: {@code 3}, {@code -2.50}, {@code 1e9}. Comparisons with long, date and
   * timestamp columns are exact; with double columns the literal is rounded to the nearest double.
   */
  record Number(BigDecimal value) implements Literal {
    public Number {
      Objects.requireNonNull(value, "value is null");
    }

    @Override
    public String render() {
      return value.toString();
    }

    @Override
    public String kind() {
      return "number";
    }
  }

  /** TRUE or FALSE. */
  record Bool(boolean value) implements Literal {
    @Override
    public String render() {
      return value ? "TRUE" : "FALSE";
    }

    @Override
    public String kind() {
      return "boolean";
    }
  }
}
