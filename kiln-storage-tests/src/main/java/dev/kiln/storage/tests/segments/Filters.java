package dev.kiln.storage.tests.segments;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Filters as the API receives them: JSON-shaped maps and lists (docs/segments.md), built here and
 * read by both the store (through the filter parser) and {@link ReferenceEvaluation}.
 */
final class Filters {
  private Filters() {}

  /** A JSON object from key/value pairs; a null value leaves its key out. */
  private static Map<String, Object> node(Object... keysAndValues) {
    Map<String, Object> node = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        node.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return node;
  }

  static Map<String, Object> attr(String field, String op) {
    return node("attribute", field, "op", op);
  }

  static Map<String, Object> attr(String field, String op, Object value) {
    return node("attribute", field, "op", op, "value", value);
  }

  static Map<String, Object> custom(String name, String op) {
    return node("custom_attribute", name, "op", op);
  }

  static Map<String, Object> custom(String name, String op, Object value) {
    return node("custom_attribute", name, "op", op, "value", value);
  }

  static Map<String, Object> nested(String name, List<String> path, String op, Object value) {
    return node("custom_attribute", name, "path", path, "op", op, "value", value);
  }

  static Map<String, Object> event(
      String name, String op, Object value, Integer inLastDays, Map<String, Object> property) {
    return node(
        "custom_event",
        name,
        "op",
        op,
        "value",
        value,
        "in_last_days",
        inLastDays,
        "property",
        property);
  }

  static Map<String, Object> prop(String name, String op, Object value) {
    return node("name", name, "op", op, "value", value);
  }

  static Map<String, Object> purchase(String product, String op, Object value, Integer inLastDays) {
    return node("purchased_product", product, "op", op, "value", value, "in_last_days", inLastDays);
  }

  static Map<String, Object> group(String id, String op) {
    return node("subscription_group", id, "op", op);
  }

  static Map<String, Object> segment(String id, String op) {
    return node("segment", id, "op", op);
  }

  static Map<String, Object> and(Object... filters) {
    return node("and", Arrays.asList(filters));
  }

  static Map<String, Object> or(Object... filters) {
    return node("or", Arrays.asList(filters));
  }

  static Map<String, Object> not(Map<String, Object> filter) {
    return node("not", filter);
  }

  /** Compact JSON, for test names and messages. */
  static String json(Object value) {
    return switch (value) {
      case null -> "null";
      case String text ->
          '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + '"';
      case Map<?, ?> map ->
          map.entrySet().stream()
              .map(entry -> json(entry.getKey()) + ":" + json(entry.getValue()))
              .collect(Collectors.joining(",", "{", "}"));
      case List<?> list ->
          list.stream().map(Filters::json).collect(Collectors.joining(",", "[", "]"));
      default -> String.valueOf(value);
    };
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object json) {
    return (Map<String, Object>) json;
  }

  static List<?> list(Object json) {
    return (List<?>) json;
  }
}
