package dev.kiln.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lists of values looked up with one {@code IN} list of a fixed length: one SQL text for every
 * list, so each query is prepared once, and one query per {@value #SIZE} values instead of one per
 * value (on a database server each query is a round trip).
 */
final class PaddedIn {
  /** How many values one query takes. */
  static final int SIZE = 64;

  /** The {@code IN} list's placeholders, without the parentheses. */
  static final String PLACEHOLDERS = String.join(", ", Collections.nCopies(SIZE, "?"));

  private PaddedIn() {}

  /** The values in lists of at most {@value #SIZE}. */
  static <T> List<List<T>> chunks(List<T> values) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < values.size(); from += SIZE) {
      chunks.add(values.subList(from, Math.min(values.size(), from + SIZE)));
    }
    return chunks;
  }

  /**
   * The least power of two that is at least {@code count} (at most {@value #SIZE}): where a text
   * repeats a statement per value, its few lengths keep the prepared texts few.
   */
  static int atLeast(int count) {
    return count <= 1 ? 1 : Integer.highestOneBit(count - 1) << 1;
  }

  /**
   * Binds the values (at most {@value #SIZE}, at least one) to the placeholders from {@code first}
   * on, repeating the last one.
   */
  static void bind(PreparedStatement statement, int first, List<?> values) throws SQLException {
    bind(statement, first, values, SIZE);
  }

  /** Binds the values to {@code placeholders} placeholders from {@code first} on, padded so. */
  static void bind(PreparedStatement statement, int first, List<?> values, int placeholders)
      throws SQLException {
    for (int i = 0; i < placeholders; i++) {
      statement.setObject(first + i, values.get(Math.min(i, values.size() - 1)));
    }
  }
}
