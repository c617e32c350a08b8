package dev.kiln.segment;

import java.util.function.Function;

/**
 * An {@link SqlDialect} that writes each of its pieces as a plain function call, so a test of
 * {@link FilterCompiler} reads what the compiler asked for ({@code
 * is_text(u.profile.attributes.country)}) instead of one database's JSON syntax. Unlike a real
 * dialect it writes JSON keys into the text (they are the compiler's to choose, not a filter
 * value's); every value still travels as a parameter. Like SQLite, it cannot address a key holding
 * a quote.
 */
class NotationDialect implements SqlDialect {

  @Override
  public boolean canAddress(String key) {
    return !key.contains("\"");
  }

  @Override
  public Sql present(JsonRef value) {
    return call("present", value);
  }

  @Override
  public Sql text(JsonRef value) {
    return call("text", value);
  }

  @Override
  public Sql number(JsonRef value) {
    return call("number", value);
  }

  @Override
  public Sql isText(JsonRef value) {
    return call("is_text", value);
  }

  @Override
  public Sql isNumber(JsonRef value) {
    return call("is_number", value);
  }

  @Override
  public Sql isTrue(JsonRef value) {
    return call("is_true", value);
  }

  @Override
  public Sql isFalse(JsonRef value) {
    return call("is_false", value);
  }

  @Override
  public Sql isArray(JsonRef value) {
    return call("is_array", value);
  }

  @Override
  public Sql anyArrayElement(JsonRef array, Function<ArrayElement, Sql> elementCondition) {
    return Sql.of("any_element(", path(array), ": ", elementCondition.apply(new Element()), ")");
  }

  @Override
  public Sql arrayLength(JsonRef array) {
    return call("length", array);
  }

  @Override
  public Sql matchesRegex(Sql text, String pattern) {
    return Sql.of(text, " REGEXP ", Sql.value(pattern));
  }

  @Override
  public Sql revenueSum(Sql price, Sql quantity) {
    return Sql.of("SUM(", price, " * ", quantity, ")");
  }

  @Override
  public Sql not(Sql condition) {
    return Sql.of("NOT (", condition, ")");
  }

  @Override
  public Sql alwaysTrue() {
    return Sql.of("TRUE");
  }

  @Override
  public Sql alwaysFalse() {
    return Sql.of("FALSE");
  }

  private static Sql call(String function, JsonRef value) {
    return Sql.of(function + "(" + path(value) + ")");
  }

  private static String path(JsonRef value) {
    return value.column() + "." + String.join(".", value.keys());
  }

  /** The element of {@code any_element}, written {@code element}. */
  private static final class Element implements ArrayElement {
    @Override
    public Sql text() {
      return Sql.of("text(element)");
    }

    @Override
    public Sql number() {
      return Sql.of("number(element)");
    }

    @Override
    public Sql isText() {
      return Sql.of("is_text(element)");
    }

    @Override
    public Sql isNumber() {
      return Sql.of("is_number(element)");
    }

    @Override
    public Sql isTrue() {
      return Sql.of("is_true(element)");
    }

    @Override
    public Sql isFalse() {
      return Sql.of("is_false(element)");
    }
  }
}
