package dev.kiln.segment;

import java.util.function.UnaryOperator;

/**
 * What the filter compiler needs to know of a database's SQL. Names and values from a filter always
 * travel as parameters inside {@link Sql} pieces, never as SQL text.
 *
 * <p>The compiler addresses the profile document of {@code users u} (kiln-storage-jdbc's
 * ProfileDocumentCodec) one object key at a time.
 */
public interface SqlDialect {

  /** The JSON node under {@code node} at {@code key}, a name from the filter (a parameter). */
  Sql child(Sql node, String key);

  /** The JSON node under {@code node} at a fixed key written by Kiln itself. */
  Sql fixedChild(Sql node, String key);

  /** The node as an SQL scalar: text for strings, a number for numbers. */
  Sql scalar(Sql node);

  Sql isText(Sql node);

  Sql isNumber(Sql node);

  Sql isTrue(Sql node);

  Sql isFalse(Sql node);

  Sql isArray(Sql node);

  /** Whether the node is a time ({"$time": "..."}). */
  Sql isTime(Sql node);

  /** The text of a time node, fixed-width ISO-8601 UTC, comparable as text. */
  Sql timeText(Sql node);

  /** {@code text} matches the regular expression {@code pattern}. */
  Sql matchesRegex(Sql text, String pattern);

  /** Some element of the JSON array {@code node}, as a scalar, satisfies the condition. */
  Sql anyArrayElement(Sql node, UnaryOperator<Sql> elementCondition);

  Sql arrayLength(Sql node);

  /** A column of decimals stored as this database stores them, as a number for arithmetic. */
  Sql decimal(Sql column);

  /** {@code NOT (condition)}, where an unknown (NULL) condition counts as false first. */
  Sql not(Sql condition);

  Sql alwaysTrue();

  Sql alwaysFalse();

  /** A parameter value as this database's driver binds it best (SQLite compares numbers as doubles). */
  default Object parameter(Object value) {
    return value;
  }
}
