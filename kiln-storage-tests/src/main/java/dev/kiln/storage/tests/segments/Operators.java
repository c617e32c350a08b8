package dev.kiln.storage.tests.segments;

import static dev.kiln.segment.testing.DocumentedFilterLanguage.ACTIVITY_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.ARRAY_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.BOOLEAN_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.DATE_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.NUMBER_FIELDS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.NUMBER_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.REVENUE_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.TEXT_FIELDS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.TEXT_OPS;
import static dev.kiln.storage.tests.segments.Filters.list;
import static dev.kiln.storage.tests.segments.Filters.object;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operators of docs/segments.md by family, as {@link ReferenceEvaluation} reads them, and which
 * of them a filter uses, so the suite can tell that every documented operator has a case.
 */
final class Operators {
  private Operators() {}

  static final Set<String> TEXT_ONLY_OPS =
      Set.of("in", "matches_regex", "does_not_match_regex", "blank");
  static final Set<String> NUMBER_ONLY_OPS =
      Set.of("greater_than", "greater_than_or_equal", "less_than", "less_than_or_equal", "between");

  /** Every documented operator, named as {@link #covers} names what a filter uses. */
  static Set<String> documented() {
    Set<String> required = new TreeSet<>();
    TEXT_OPS.forEach(op -> required.add("attribute text " + op));
    NUMBER_OPS.forEach(op -> required.add("attribute number " + op));
    NUMBER_OPS.forEach(op -> required.add("attribute age " + op));
    DATE_OPS.forEach(op -> required.add("attribute date " + op));
    DATE_OPS.forEach(op -> required.add("attribute dob " + op));
    TEXT_OPS.forEach(op -> required.add("alias_label " + op));
    TEXT_OPS.forEach(op -> required.add("custom_attribute text " + op));
    NUMBER_OPS.forEach(op -> required.add("custom_attribute number " + op));
    BOOLEAN_OPS.forEach(op -> required.add("custom_attribute boolean " + op));
    DATE_OPS.forEach(op -> required.add("custom_attribute date " + op));
    ARRAY_OPS.forEach(op -> required.add("custom_attribute array " + op));
    required.addAll(
        List.of("custom_attribute path text equals", "custom_attribute path number greater_than"));
    for (String op : ACTIVITY_OPS) {
      required.add("custom_event " + op.replace("%s", "performed"));
      required.add("purchased_product one " + op.replace("%s", "purchased"));
      required.add("purchased_product * " + op.replace("%s", "purchased"));
    }
    for (String op : ACTIVITY_OPS.subList(0, 7)) {
      required.add("custom_event in_last_days " + op.replace("%s", "performed"));
      required.add("purchased_product in_last_days " + op.replace("%s", "purchased"));
    }
    REVENUE_OPS.forEach(op -> required.add("purchased_product one " + op));
    REVENUE_OPS.forEach(op -> required.add("purchased_product * " + op));
    required.add("purchased_product in_last_days revenue_greater_than");
    TEXT_OPS.forEach(op -> required.add("property text " + op));
    NUMBER_OPS.stream()
        .filter(op -> !op.endsWith("exists"))
        .forEach(op -> required.add("property number " + op));
    required.addAll(
        List.of(
            "subscription_group subscribed",
            "subscription_group unsubscribed",
            "segment in",
            "segment not_in",
            "and",
            "or",
            "not",
            "and []",
            "or []"));
    return required;
  }

  /**
   * Adds to {@code covered} the name of every operator the JSON filter uses, as {@link #documented}
   * names them.
   */
  static void covers(Object json, Set<String> covered) {
    Map<String, Object> node = object(json);
    for (String key : List.of("and", "or")) {
      if (node.containsKey(key)) {
        covered.add(list(node.get(key)).isEmpty() ? key + " []" : key);
        list(node.get(key)).forEach(child -> covers(child, covered));
        return;
      }
    }
    if (node.containsKey("not")) {
      covered.add("not");
      covers(node.get("not"), covered);
      return;
    }
    String op = (String) node.get("op");
    Object value = node.get("value");
    if (node.containsKey("attribute")) {
      String field = (String) node.get("attribute");
      String kind =
          field.equals("alias_label")
              ? "alias_label"
              : field.equals("age") || field.equals("dob")
                  ? "attribute " + field
                  : TEXT_FIELDS.contains(field)
                      ? "attribute text"
                      : NUMBER_FIELDS.contains(field) ? "attribute number" : "attribute date";
      covered.add(kind + " " + op);
    } else if (node.containsKey("custom_attribute")) {
      List<String> types = new ArrayList<>();
      if (op.equals("exists") || op.equals("not_exists")) {
        types.addAll(List.of("text", "number", "date"));
      } else if (op.equals("equals") || op.equals("not_equals")) {
        types.add(value instanceof Number ? "number" : "text");
      } else {
        types.add(
            TEXT_ONLY_OPS.contains(op)
                ? "text"
                : NUMBER_ONLY_OPS.contains(op)
                    ? "number"
                    : BOOLEAN_OPS.contains(op)
                        ? "boolean"
                        : ARRAY_OPS.contains(op) ? "array" : "date");
      }
      String prefix = node.containsKey("path") ? "custom_attribute path " : "custom_attribute ";
      types.forEach(type -> covered.add(prefix + type + " " + op));
    } else if (node.containsKey("custom_event")) {
      covered.add("custom_event " + op);
      if (node.get("in_last_days") != null) {
        covered.add("custom_event in_last_days " + op);
      }
      if (node.get("property") != null) {
        Map<String, Object> property = object(node.get("property"));
        String propertyOp = (String) property.get("op");
        boolean numeric =
            NUMBER_ONLY_OPS.contains(propertyOp) || property.get("value") instanceof Number;
        covered.add("property " + (numeric ? "number " : "text ") + propertyOp);
      }
    } else if (node.containsKey("purchased_product")) {
      covered.add(
          "purchased_product " + (node.get("purchased_product").equals("*") ? "* " : "one ") + op);
      if (node.get("in_last_days") != null) {
        covered.add("purchased_product in_last_days " + op);
      }
    } else if (node.containsKey("subscription_group")) {
      covered.add("subscription_group " + op);
    } else if (node.containsKey("segment")) {
      covered.add("segment " + op);
    }
  }
}
