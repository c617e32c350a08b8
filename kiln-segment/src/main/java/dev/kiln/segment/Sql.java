package dev.kiln.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * A piece of SQL and the parameters of its placeholders, in order. Pieces are joined with {@link
 * #of}, so a piece used twice brings its parameters twice and placeholders never drift from their
 * values.
 */
public record Sql(String text, List<Object> parameters) {
  public Sql {
    parameters = List.copyOf(parameters);
  }

  /** One parameter. */
  public static Sql value(Object value) {
    return new Sql("?", List.of(value));
  }

  /** Joins raw SQL strings (Kiln's own text, never user input) and pieces. */
  public static Sql of(Object... parts) {
    StringBuilder text = new StringBuilder();
    List<Object> parameters = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Sql sql) {
        text.append(sql.text);
        parameters.addAll(sql.parameters);
      } else if (part instanceof String raw) {
        text.append(raw);
      } else {
        throw new IllegalArgumentException(
            "SQL parts are strings or Sql pieces, not " + part.getClass());
      }
    }
    return new Sql(text.toString(), parameters);
  }

  /**
   * The pieces joined by an associative operator ({@code " AND "}, {@code " OR "}) as a balanced
   * tree of parenthesized halves: the same condition, but nested log2(n) deep instead of n deep,
   * which keeps a long list within a database's bound on the depth of an expression (SQLite's is
   * 1,000).
   */
  public static Sql balanced(List<Sql> pieces, String operator) {
    if (pieces.size() == 1) {
      return of("(", pieces.getFirst(), ")");
    }
    int half = pieces.size() / 2;
    return of(
        "(",
        balanced(pieces.subList(0, half), operator),
        operator,
        balanced(pieces.subList(half, pieces.size()), operator),
        ")");
  }

  /** The pieces joined by {@code separator}, each in parentheses. */
  public static Sql join(List<Sql> pieces, String separator) {
    List<Object> parts = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) {
        parts.add(separator);
      }
      parts.add("(");
      parts.add(pieces.get(i));
      parts.add(")");
    }
    return of(parts.toArray());
  }
}
