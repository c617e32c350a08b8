package dev.kiln.segment;

import java.util.function.Function;

/**
 * What the filter compiler needs to know of a database's SQL. Names and values from a filter always
 * travel as parameters inside {@link Sql} pieces, never as SQL text.
 */
public interface SqlDialect {

  /** Whether this database can address a JSON object key with these characters. */
  default boolean canAddress(String key) {
    return true;
  }

  /** A condition: the value exists (is not missing; JSON null never is stored). */
  Sql present(JsonRef value);

  /**
   * A text value as SQL text. Used only beside {@link #isText}, but a database that evaluates both
   * sides of an AND must not fail where the value is of another type.
   */
  Sql text(JsonRef value);

  /** A number value as an SQL number; used only beside {@link #isNumber}, with the same care. */
  Sql number(JsonRef value);

  Sql isText(JsonRef value);

  Sql isNumber(JsonRef value);

  Sql isTrue(JsonRef value);

  Sql isFalse(JsonRef value);

  Sql isArray(JsonRef value);

  /** Whether the value is a time: profiles keep times as {"$time": "..."}. */
  default Sql isTime(JsonRef value) {
    return isText(value.child("$time"));
  }

  /** The text of a time value, fixed-width ISO-8601 UTC, comparable as text. */
  default Sql timeText(JsonRef value) {
    return text(value.child("$time"));
  }

  /** Some element of the array satisfies the condition. */
  Sql anyArrayElement(JsonRef array, Function<ArrayElement, Sql> elementCondition);

  /** One element of an array inside {@link #anyArrayElement}: its value and its JSON type. */
  interface ArrayElement {
    /** The element as text, where {@link #isText} holds. */
    Sql text();

    /** The element as a number, where {@link #isNumber} holds. */
    Sql number();

    Sql isText();

    Sql isNumber();

    Sql isTrue();

    Sql isFalse();
  }

  /** The length of an array; used only beside {@link #isArray}, with the care of {@link #text}. */
  Sql arrayLength(JsonRef array);

  /** {@code text} matches the regular expression {@code pattern}. */
  Sql matchesRegex(Sql text, String pattern);

  /**
   * The sum of {@code price * quantity} over the rows, {@code price} being a column of decimals as
   * this database stores them: exact, so a total of 0.1 + 0.2 equals a filter value of 0.3.
   */
  Sql revenueSum(Sql price, Sql quantity);

  /** {@code NOT (condition)}, where an unknown (NULL) condition counts as false first. */
  Sql not(Sql condition);

  Sql alwaysTrue();

  Sql alwaysFalse();

  /**
   * A parameter value as this database's driver binds it best (SQLite compares numbers as doubles).
   */
  default Object parameter(Object value) {
    return value;
  }
}
