package dev.spindle.jobs.filter;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Cuts filter text into tokens. Keywords are case-insensitive; positions are 0-based. */
final class FilterLexer {

  enum Kind {
    IDENTIFIER,
    QUOTED_IDENTIFIER,
    STRING,
    NUMBER,
    KEYWORD,
    OPERATOR,
    LEFT_PAREN,
    RIGHT_PAREN,
    COMMA,
    END
  }

  /**
   * One token. {@code value} is the column name (unquoted), the string value (unescaped), the
   * upper-case keyword or the operator symbol; {@code source} is the text as written.
   */
  record Token(Kind kind, String value, String source, int position) {
    boolean isKeyword(String keyword) {
      return kind == Kind.KEYWORD && value.equals(keyword);
    }
  }

  private static final Set<String> KEYWORDS =
      Set.of("AND", "OR", "NOT", "IS", "NULL", "IN", "TRUE", "FALSE");

  private final String text;
  private int position;

  private FilterLexer(String text) {
    this.text = text;
  }

  static boolean isKeyword(String word) {
    return KEYWORDS.contains(word.toUpperCase(Locale.ROOT));
  }

  /** A column name as filter text: bare if it is an identifier and no keyword, else quoted. */
  static String quoteColumn(String column) {
    boolean bare = !column.isEmpty() && isIdentifierStart(column.charAt(0)) && !isKeyword(column);
    for (int i = 1; bare && i < column.length(); i++) {
      bare = isIdentifierPart(column.charAt(i));
    }
    return bare ? column : '"' + column.replace("\"", "\"\"") + '"';
  }

  /** Every token of {@code text}, ending with one {@link Kind#END} token. */
  static List<Token> tokenize(String text) {
    FilterLexer lexer = new FilterLexer(text);
    List<Token> tokens = new ArrayList<>();
    Token token;
    do {
      token = lexer.next();
      tokens.add(token);
    } while (token.kind() != Kind.END);
    return tokens;
  }

  private Token next() {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
      position++;
    }
    int start = position;
    if (start == text.length()) {
      return new Token(Kind.END, "", "", start);
    }
    char c = text.charAt(start);
    if (isIdentifierStart(c)) {
      return word(start);
    }
    if (isDigit(c) || c == '.' || (c == '-' && start + 1 < text.length()
        && (isDigit(text.charAt(start + 1)) || text.charAt(start + 1) == '.'))) {
      return number(start);
    }
    switch (c) {
      case '\'':
        return string(start);
      case '"':
        return quotedIdentifier(start);
      case '(':
        position++;
        return new Token(Kind.LEFT_PAREN, "(", "(", start);
      case ')':
        position++;
        return new Token(Kind.RIGHT_PAREN, ")", ")", start);
      case ',':
        position++;
        return new Token(Kind.COMMA, ",", ",", start);
      case '=':
        return operator(start, 1, "=");
      case '!':
        if (peek(start + 1) == '=') {
          return operator(start, 2, "!=");
        }
        break;
      case '<':
        if (peek(start + 1) == '=') {
          return operator(start, 2, "<=");
        }
        if (peek(start + 1) == '>') {
          return operator(start, 2, "!=");
        }
        return operator(start, 1, "<");
      case '>':
        if (peek(start + 1) == '=') {
          return operator(start, 2, ">=");
        }
        return operator(start, 1, ">");
      default:
        break;
    }
    String hint = Character.isLetter(c)
        ? " (a column name with characters other than A-Z, a-z, 0-9 and _ is written in double"
            + " quotes: \"größe\")"
        : "";
    throw error("Unexpected character '" + c + "'" + hint, start);
  }

  private Token word(int start) {
    int end = start + 1;
    while (end < text.length() && isIdentifierPart(text.charAt(end))) {
      end++;
    }
    position = end;
    String word = text.substring(start, end);
    String upper = word.toUpperCase(Locale.ROOT);
    if (KEYWORDS.contains(upper)) {
      return new Token(Kind.KEYWORD, upper, word, start);
    }
    return new Token(Kind.IDENTIFIER, word, word, start);
  }

  private Token number(int start) {
    int end = start;
    if (text.charAt(end) == '-') {
      end++;
    }
    int digits = 0;
    while (end < text.length() && isDigit(text.charAt(end))) {
      end++;
      digits++;
    }
    if (peek(end) == '.') {
      end++;
      while (end < text.length() && isDigit(text.charAt(end))) {
        end++;
        digits++;
      }
    }
    if (digits == 0) {
      throw error("Invalid number '" + text.substring(start, end) + "'", start);
    }
    if (peek(end) == 'e' || peek(end) == 'E') {
      int exponentStart = end;
      end++;
      if (peek(end) == '+' || peek(end) == '-') {
        end++;
      }
      int exponentDigits = 0;
      while (end < text.length() && isDigit(text.charAt(end))) {
        end++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        throw error("Invalid number '" + text.substring(start, end) + "' (exponent without digits)",
            exponentStart);
      }
    }
    if (end < text.length() && (isIdentifierPart(text.charAt(end)) || text.charAt(end) == '.')) {
      throw error("Invalid number '" + text.substring(start, end + 1) + "'", start);
    }
    position = end;
    String source = text.substring(start, end);
    try {
      new BigDecimal(source);
    } catch (NumberFormatException | ArithmeticException e) {
      throw error("Invalid number '" + source + "'", start);
    }
    return new Token(Kind.NUMBER, source, source, start);
  }

  private Token string(int start) {
    StringBuilder value = new StringBuilder();
    int i = start + 1;
    while (true) {
      if (i >= text.length()) {
        throw error("Unterminated string literal (a quote inside a string is written '')", start);
      }
      char c = text.charAt(i);
      if (c == '\'') {
        if (peek(i + 1) == '\'') {
          value.append('\'');
          i += 2;
          continue;
        }
        break;
      }
      value.append(c);
      i++;
    }
    position = i + 1;
    return new Token(Kind.STRING, value.toString(), text.substring(start, position), start);
  }

  private Token quotedIdentifier(int start) {
    StringBuilder value = new StringBuilder();
    int i = start + 1;
    while (true) {
      if (i >= text.length()) {
        throw error("Unterminated quoted column name (a quote inside it is written \"\")", start);
      }
      char c = text.charAt(i);
      if (c == '"') {
        if (peek(i + 1) == '"') {
          value.append('"');
          i += 2;
          continue;
        }
        break;
      }
      value.append(c);
      i++;
    }
    position = i + 1;
    if (value.length() == 0) {
      throw error("Empty quoted column name", start);
    }
    return new Token(Kind.QUOTED_IDENTIFIER, value.toString(), text.substring(start, position),
        start);
  }

  private Token operator(int start, int length, String symbol) {
    position = start + length;
    return new Token(Kind.OPERATOR, symbol, text.substring(start, position), start);
  }

  private char peek(int index) {
    return index < text.length() ? text.charAt(index) : '\0';
  }

  private IllegalArgumentException error(String what, int at) {
    return FilterParser.syntaxError(what, at, text);
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
