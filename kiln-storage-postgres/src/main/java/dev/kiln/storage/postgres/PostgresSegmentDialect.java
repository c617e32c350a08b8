package dev.kiln.storage.postgres;

import dev.kiln.segment.JsonRef;
import dev.kiln.segment.Sql;
import dev.kiln.segment.SqlDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Segment filters in PostgreSQL's SQL over {@code jsonb} columns. A value is read with {@code
 * jsonb_extract_path(u.profile, VARIADIC ARRAY[?, ?])}, every key a text parameter, so any key is
 * addressable and none is ever SQL text.
 *
 * <p>PostgreSQL may evaluate both sides of an AND, in any order, so every conversion that could
 * fail on a value of another type ({@code ::numeric}, the array functions) is guarded by a CASE on
 * {@code jsonb_typeof} and gives NULL instead of an error. Regular expressions use {@code ~} (POSIX
 * advanced expressions: docs/segments.md says where they differ from Java's).
 */
final class PostgresSegmentDialect implements SqlDialect {
  // jsonb_array_elements gives a row per element as j.value, itself jsonb.
  private static final ArrayElement ARRAY_ELEMENT =
      new ArrayElement() {
        private final Sql element = new Sql("j.value", List.of());

        @Override
        public Sql text() {
          return new Sql("(j.value #>> '{}')", List.of());
        }

        @Override
        public Sql number() {
          return asNumber(element);
        }

        @Override
        public Sql isText() {
          return typeIs(element, "string");
        }

        @Override
        public Sql isNumber() {
          return typeIs(element, "number");
        }

        @Override
        public Sql isTrue() {
          return new Sql("j.value = 'true'::jsonb", List.of());
        }

        @Override
        public Sql isFalse() {
          return new Sql("j.value = 'false'::jsonb", List.of());
        }
      };

  @Override
  public Sql present(JsonRef value) {
    return Sql.of(extract(value), " IS NOT NULL");
  }

  /**
   * The text of a JSON string (of any other scalar, its JSON text: compared only beside isText).
   */
  @Override
  public Sql text(JsonRef value) {
    return Sql.of("jsonb_extract_path_text(" + value.column(), keys(value), ")");
  }

  @Override
  public Sql number(JsonRef value) {
    return asNumber(extract(value));
  }

  @Override
  public Sql isText(JsonRef value) {
    return typeIs(extract(value), "string");
  }

  @Override
  public Sql isNumber(JsonRef value) {
    return typeIs(extract(value), "number");
  }

  @Override
  public Sql isTrue(JsonRef value) {
    return Sql.of(extract(value), " = 'true'::jsonb");
  }

  @Override
  public Sql isFalse(JsonRef value) {
    return Sql.of(extract(value), " = 'false'::jsonb");
  }

  @Override
  public Sql isArray(JsonRef value) {
    return typeIs(extract(value), "array");
  }

  @Override
  public Sql anyArrayElement(JsonRef array, Function<ArrayElement, Sql> elementCondition) {
    return Sql.of(
        "EXISTS (SELECT 1 FROM jsonb_array_elements(",
        arrayOrNull(array),
        ") AS j(value) WHERE ",
        elementCondition.apply(ARRAY_ELEMENT),
        ")");
  }

  @Override
  public Sql arrayLength(JsonRef array) {
    return Sql.of("jsonb_array_length(", arrayOrNull(array), ")");
  }

  /**
   * Java's meaning, as on every backend: {@code ~} reads PostgreSQL's own syntax, so the pattern is
   * translated to it, or refused (a FilterException, before any SQL runs) where it cannot be
   * exactly. Where the translation depends on whether the text can hold a non-spacing mark (\b,
   * \B), the long form for marks is evaluated only on the texts that can.
   */
  @Override
  public Sql matchesRegex(Sql text, String pattern) {
    String are = PostgresRegex.translate(pattern, true);
    String withoutMarks = PostgresRegex.translate(pattern, false);
    if (are.equals(withoutMarks)) {
      return regex(text, are);
    }
    return Sql.of(
        "(CASE WHEN ",
        regex(text, PostgresRegex.MAY_HOLD_MARKS),
        " THEN ",
        regex(text, are),
        " ELSE ",
        regex(text, withoutMarks),
        " END)");
  }

  private static Sql regex(Sql text, String are) {
    return Sql.of("(", text, " ~ CAST(", Sql.value(are), " AS text))");
  }

  /** Prices are decimal text; numeric sums them exactly. */
  @Override
  public Sql revenueSum(Sql price, Sql quantity) {
    return Sql.of("SUM(CAST(", price, " AS numeric) * ", quantity, ")");
  }

  @Override
  public Sql not(Sql condition) {
    return Sql.of("NOT COALESCE((", condition, "), FALSE)");
  }

  @Override
  public Sql alwaysTrue() {
    return new Sql("TRUE", List.of());
  }

  @Override
  public Sql alwaysFalse() {
    return new Sql("FALSE", List.of());
  }

  private static Sql extract(JsonRef value) {
    return Sql.of("jsonb_extract_path(" + value.column(), keys(value), ")");
  }

  /**
   * {@code , VARIADIC ARRAY[CAST(? AS text), ...]}: the keys of jsonb_extract_path's variadic text
   * list as one array, which is what PostgreSQL makes of separate arguments anyway, but without its
   * limit of 100 arguments to a function, so a nested path may be as long as a filter may be large.
   */
  private static Sql keys(JsonRef value) {
    List<Object> parts = new ArrayList<>(List.of(", VARIADIC CAST(ARRAY["));
    for (String key : value.keys()) {
      parts.add(parts.size() > 1 ? ", CAST(" : "CAST(");
      parts.add(Sql.value(key));
      parts.add(" AS text)");
    }
    parts.add("] AS text[])");
    return Sql.of(parts.toArray());
  }

  private static Sql typeIs(Sql jsonb, String type) {
    return Sql.of("jsonb_typeof(", jsonb, ") = '" + type + "'");
  }

  private static Sql asNumber(Sql jsonb) {
    return Sql.of(
        "(CASE WHEN ", typeIs(jsonb, "number"), " THEN CAST(", jsonb, " AS numeric) END)");
  }

  private static Sql arrayOrNull(JsonRef array) {
    Sql jsonb = extract(array);
    return Sql.of("CASE WHEN ", typeIs(jsonb, "array"), " THEN ", jsonb, " END");
  }
}
