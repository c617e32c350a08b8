package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.track.BrazeTimes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns request JSON into the JSON-shaped Java values of the core model. */
final class JsonValues {
  static final int MAX_STRING_LENGTH = 255;

  private JsonValues() {}

  /** A number as the core keeps it: whole numbers as Long when they fit, others as BigDecimal. */
  static Number number(JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    return node.decimalValue();
  }

  static boolean isScalar(JsonNode node) {
    return node.isTextual() || node.isNumber() || node.isBoolean();
  }

  static Object scalar(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isNumber()) {
      return number(node);
    }
    return node.booleanValue();
  }

  static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  /**
   * A string field's text, at most {@value #MAX_STRING_LENGTH} characters: Braze's bound for custom
   * strings, which Kiln keeps for every free-text field so no field can carry megabytes into a
   * profile.
   */
  static String boundedText(String field, JsonNode value) {
    if (!value.isTextual()) {
      throw new RejectedObject("'" + field + "' must be a string");
    }
    if (length(value.textValue()) > MAX_STRING_LENGTH) {
      throw new RejectedObject(
          "'" + field + "' must be at most " + MAX_STRING_LENGTH + " characters");
    }
    return value.textValue();
  }

  /**
   * A nested custom attribute value (docs/braze-reference.md section 3.4): objects, arrays, scalars
   * and {@code {"$time": "..."}}; throws {@link InvalidNested} for anything Braze would not store.
   */
  static Object nested(JsonNode node) {
    if (node.isObject()) {
      if (node.size() == 1 && node.has("$time")) {
        return nestedTime(node.get("$time"));
      }
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties()
          .forEach(
              entry -> {
                if (!isNestedKey(entry.getKey())) {
                  throw new InvalidNested();
                }
                map.put(entry.getKey(), nested(entry.getValue()));
              });
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(nested(item)));
      return list;
    }
    if ((node.isTextual() && length(node.textValue()) > MAX_STRING_LENGTH) || !isScalar(node)) {
      throw new InvalidNested(); // too long, or null (Braze drops a nested attribute holding null)
    }
    return scalar(node);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> nestedObject(JsonNode node) {
    Object value = nested(node);
    if (!(value instanceof Map<?, ?>)) {
      throw new InvalidNested();
    }
    return (Map<String, Object>) value;
  }

  /**
   * An event or purchase property value: like a nested value, but date-shaped strings at the top
   * level are times (not inside arrays), and null is kept.
   */
  static Object property(JsonNode node) {
    if (node.isTextual()) {
      Optional<Instant> time = BrazeTimes.parseTime(node.textValue());
      return time.<Object>map(t -> t).orElse(node.textValue());
    }
    if (node.isNull()) {
      return null;
    }
    if (isScalar(node)) {
      return scalar(node);
    }
    return plain(node);
  }

  /** Any JSON as Java values, without date detection. */
  static Object plain(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(entry -> map.put(entry.getKey(), plain(entry.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(plain(item)));
      return list;
    }
    return node.isNull() ? null : scalar(node);
  }

  private static Instant nestedTime(JsonNode time) {
    if (time == null || !time.isTextual()) {
      throw new InvalidNested();
    }
    return BrazeTimes.parseTime(time.textValue()).orElseThrow(InvalidNested::new);
  }

  private static boolean isNestedKey(String key) {
    return !key.isEmpty()
        && length(key) <= MAX_STRING_LENGTH
        && key.indexOf('.') < 0
        && key.indexOf('$') < 0
        && key.indexOf(' ') < 0;
  }

  static BigDecimal decimal(JsonNode node) {
    return node.decimalValue();
  }
}
