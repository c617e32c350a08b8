package dev.kiln.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * Filters written as the JSON-shaped values FilterParser reads, and assertions on its refusals:
 * shared by the segment tests.
 */
final class FilterJson {
  static final Instant JAN_31 = Instant.parse("2026-01-31T00:00:00Z");

  private FilterJson() {}

  /** A JSON object from key/value pairs, in order; values may be null. */
  static Map<String, Object> node(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("node needs key/value pairs");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** A JSON array; items may be null. */
  static List<Object> array(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  static Map<String, Object> country(String op, Object value) {
    return node("attribute", "country", "op", op, "value", value);
  }

  static Map<String, Object> custom(String op, Object value) {
    return node("custom_attribute", "plan", "op", op, "value", value);
  }

  static Map<String, Object> customNoValue(String op) {
    return node("custom_attribute", "plan", "op", op);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Object json, String path) {
    return assertThatThrownBy(() -> FilterParser.parse(json))
        .isInstanceOf(FilterException.class)
        .satisfies(e -> assertThat(((FilterException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageStartingWith(path + ": ");
  }

  /** The part of an "is not an operator" message after "use one of". */
  static String allowedList(Object json) {
    try {
      FilterParser.parse(json);
    } catch (FilterException e) {
      String message = e.getMessage();
      int at = message.indexOf("use one of ");
      assertThat(at).as("message lists the allowed operators: %s", message).isNotNegative();
      return message.substring(at + "use one of ".length());
    }
    throw new AssertionError("expected a FilterException for " + json);
  }

  static List<String> allowedNames(Object json) {
    return Arrays.stream(allowedList(json).split(",")).map(String::trim).toList();
  }

  static Condition condition(Filter filter) {
    return switch (filter) {
      case Filter.Attribute a -> a.condition();
      case Filter.CustomAttribute c -> c.condition();
      default -> throw new AssertionError("not an attribute filter: " + filter);
    };
  }
}
