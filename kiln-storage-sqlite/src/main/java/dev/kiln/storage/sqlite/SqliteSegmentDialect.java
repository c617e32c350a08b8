package dev.kiln.storage.sqlite;

import dev.kiln.segment.Sql;
import dev.kiln.segment.SqlDialect;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Segment filters in SQLite's SQL: JSON through the {@code ->} operator and {@code json_type},
 * arrays through {@code json_each}, regular expressions through the REGEXP function Kiln registers
 * on every connection ({@link RegexpFunction}).
 */
final class SqliteSegmentDialect implements SqlDialect {
  // A key SQLite can address with a quoted path step, $."key": no quote and no backslash inside.
  private static final Pattern PATH_SAFE_KEY = Pattern.compile("[^\"\\\\]+");

  @Override
  public Sql child(Sql node, String key) {
    if (PATH_SAFE_KEY.matcher(key).matches()) {
      return Sql.of("(", node, " -> ", Sql.value("$.\"" + key + "\""), ")");
    }
    // Any other key: match it as data among the object's keys.
    return Sql.of("(SELECT CASE WHEN j.type IN ('object', 'array') THEN j.value ELSE json_quote(j.value) END FROM json_each(",
        node, ") j WHERE j.key = ", Sql.value(key), ")");
  }

  @Override
  public Sql fixedChild(Sql node, String key) {
    return Sql.of("(", node, " -> '$." + key + "')");
  }

  @Override
  public Sql scalar(Sql node) {
    return Sql.of("(", node, " ->> '$')");
  }

  @Override
  public Sql isText(Sql node) {
    return Sql.of("json_type(", node, ") = 'text'");
  }

  @Override
  public Sql isNumber(Sql node) {
    return Sql.of("json_type(", node, ") IN ('integer', 'real')");
  }

  @Override
  public Sql isTrue(Sql node) {
    return Sql.of("json_type(", node, ") = 'true'");
  }

  @Override
  public Sql isFalse(Sql node) {
    return Sql.of("json_type(", node, ") = 'false'");
  }

  @Override
  public Sql isArray(Sql node) {
    return Sql.of("json_type(", node, ") = 'array'");
  }

  @Override
  public Sql isTime(Sql node) {
    return Sql.of("json_type(", node, ", '$.\"$time\"') = 'text'");
  }

  @Override
  public Sql timeText(Sql node) {
    return Sql.of("(", node, " ->> '$.\"$time\"')");
  }

  @Override
  public Sql matchesRegex(Sql text, String pattern) {
    return Sql.of("(", text, " REGEXP ", Sql.value(pattern), ")");
  }

  @Override
  public Sql anyArrayElement(Sql node, UnaryOperator<Sql> elementCondition) {
    return Sql.of("EXISTS (SELECT 1 FROM json_each(", node, ") j WHERE ", elementCondition.apply(new Sql("j.value", List.of())), ")");
  }

  @Override
  public Sql arrayLength(Sql node) {
    return Sql.of("json_array_length(", node, ")");
  }

  @Override
  public Sql decimal(Sql column) {
    return Sql.of("CAST(", column, " AS REAL)");
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

  /** SQLite compares a number bound as text with a column number as unequal: bind decimals as doubles. */
  @Override
  public Object parameter(Object value) {
    return value instanceof BigDecimal decimal ? decimal.doubleValue() : value;
  }
}
