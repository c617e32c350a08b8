package dev.kiln.storage.sqlite;

import dev.kiln.segment.JsonRef;
import dev.kiln.segment.Sql;
import dev.kiln.segment.SqlDialect;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Segment filters in SQLite's SQL. A value is read straight from its column with a JSON path
 * ({@code json_type(u.profile, '$."custom_attributes"."plan"')}), the path bound as a parameter, so
 * SQLite walks the (JSONB) profile once per function and never builds intermediate JSON text.
 * Regular expressions use the REGEXP function Kiln registers on every connection.
 */
final class SqliteSegmentDialect implements SqlDialect {
  // SQLite's path syntax quotes a key as "key" and has no escape for a quote inside it.
  private static final Pattern ADDRESSABLE = Pattern.compile("[^\"\\\\]*");
  private static final int REVENUE_DECIMALS = 9;
  // json_each gives a row per element: j.value its SQL value (true is 1), j.type its JSON type.
  private static final ArrayElement JSON_EACH_ELEMENT =
      new ArrayElement() {
        @Override
        public Sql text() {
          return new Sql("j.value", List.of());
        }

        @Override
        public Sql number() {
          return new Sql("j.value", List.of());
        }

        @Override
        public Sql isText() {
          return new Sql("j.type = 'text'", List.of());
        }

        @Override
        public Sql isNumber() {
          return new Sql("j.type IN ('integer', 'real')", List.of());
        }

        @Override
        public Sql isTrue() {
          return new Sql("j.type = 'true'", List.of());
        }

        @Override
        public Sql isFalse() {
          return new Sql("j.type = 'false'", List.of());
        }
      };

  @Override
  public boolean canAddress(String key) {
    return ADDRESSABLE.matcher(key).matches();
  }

  @Override
  public Sql present(JsonRef value) {
    return Sql.of(type(value), " IS NOT NULL");
  }

  /**
   * json_extract gives text for a JSON string and a number for a JSON number: one function serves
   * both.
   */
  @Override
  public Sql text(JsonRef value) {
    return extract(value);
  }

  @Override
  public Sql number(JsonRef value) {
    return extract(value);
  }

  @Override
  public Sql isText(JsonRef value) {
    return Sql.of(type(value), " = 'text'");
  }

  @Override
  public Sql isNumber(JsonRef value) {
    return Sql.of(type(value), " IN ('integer', 'real')");
  }

  @Override
  public Sql isTrue(JsonRef value) {
    return Sql.of(type(value), " = 'true'");
  }

  @Override
  public Sql isFalse(JsonRef value) {
    return Sql.of(type(value), " = 'false'");
  }

  @Override
  public Sql isArray(JsonRef value) {
    return Sql.of(type(value), " = 'array'");
  }

  @Override
  public Sql anyArrayElement(JsonRef array, Function<ArrayElement, Sql> elementCondition) {
    return Sql.of(
        "EXISTS (SELECT 1 FROM json_each(" + array.column() + ", ",
        path(array),
        ") j WHERE ",
        elementCondition.apply(JSON_EACH_ELEMENT),
        ")");
  }

  @Override
  public Sql arrayLength(JsonRef array) {
    return Sql.of("json_array_length(" + array.column() + ", ", path(array), ")");
  }

  @Override
  public Sql matchesRegex(Sql text, String pattern) {
    return Sql.of("(", text, " REGEXP ", Sql.value(pattern), ")");
  }

  /**
   * SQLite has no decimal type: prices (decimal text) are summed as doubles, then rounded to {@link
   * #REVENUE_DECIMALS} places, which removes the binary error of the sum (0.1 + 0.2 gives 0.3, not
   * 0.30000000000000004) and is finer than any currency's minor unit.
   */
  @Override
  public Sql revenueSum(Sql price, Sql quantity) {
    return Sql.of(
        "ROUND(SUM(CAST(", price, " AS REAL) * ", quantity, "), " + REVENUE_DECIMALS + ")");
  }

  @Override
  public Sql not(Sql condition) {
    return Sql.of("NOT COALESCE((", condition, "), 0)");
  }

  @Override
  public Sql alwaysTrue() {
    return new Sql("1 = 1", List.of());
  }

  @Override
  public Sql alwaysFalse() {
    return new Sql("1 = 0", List.of());
  }

  /**
   * SQLite compares a number bound as text with a column number as unequal: bind decimals as
   * doubles.
   */
  @Override
  public Object parameter(Object value) {
    return value instanceof BigDecimal decimal ? decimal.doubleValue() : value;
  }

  private static Sql extract(JsonRef value) {
    return Sql.of("json_extract(" + value.column() + ", ", path(value), ")");
  }

  private static Sql type(JsonRef value) {
    return Sql.of("json_type(" + value.column() + ", ", path(value), ")");
  }

  /** {@code $."a"."b"}: every key quoted, so dots and spaces inside keys stay part of the key. */
  private static Sql path(JsonRef value) {
    StringBuilder path = new StringBuilder("$");
    for (String key : value.keys()) {
      path.append(".\"").append(key).append('"');
    }
    return Sql.value(path.toString());
  }
}
