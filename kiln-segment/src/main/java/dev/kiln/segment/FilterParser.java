package dev.kiln.segment;

import dev.kiln.core.track.BrazeTimes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Reads a filter from JSON-shaped Java values (maps, lists, strings, numbers, booleans) and checks
 * every rule of docs/segments.md, so a filter that parses can always be compiled. Errors name the
 * path of the bad node: {@code filter.and[2].op: ...}.
 */
public final class FilterParser {
  static final int MAX_DAYS = 36_500;
  static final int MAX_WINDOW_DAYS = 3_650;
  static final int MAX_DEPTH = 32;

  /**
   * Names and values a filter may hold in all [INF]: hundreds of predicates, or an {@code in} list
   * of thousands, and still far below the bind-parameter limits of SQLite (32,766) and PostgreSQL
   * (65,535).
   */
  static final int MAX_VALUES = 5_000;

  private static final Map<String, ValueType> STANDARD_FIELDS = standardFields();
  private static final String ANY_PRODUCT = "*";

  /** Stands for JSON null in the counting queue, which takes no nulls. */
  private static final Object NULL_VALUE = new Object();

  private FilterParser() {}

  public static Filter parse(Object json) {
    long values = countValues(json);
    if (values > MAX_VALUES) {
      throw new FilterException(
          "filter",
          "holds " + values + " names and values; a filter may hold at most " + MAX_VALUES);
    }
    return node(json, "filter", 0);
  }

  /**
   * Keys and scalar values in the whole tree; without recursion, as the tree may be deeper than the
   * stack.
   */
  private static long countValues(Object json) {
    long count = 0;
    Deque<Object> pending = new ArrayDeque<>();
    pending.push(json == null ? NULL_VALUE : json);
    while (!pending.isEmpty()) {
      Object next = pending.pop();
      if (next instanceof Map<?, ?> map) {
        count += map.size();
        map.values().forEach(value -> pending.push(value == null ? NULL_VALUE : value));
      } else if (next instanceof List<?> list) {
        list.forEach(value -> pending.push(value == null ? NULL_VALUE : value));
      } else {
        count++;
      }
    }
    return count;
  }

  private static Filter node(Object json, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw new FilterException(path, "filters may nest at most " + MAX_DEPTH + " levels deep");
    }
    Map<String, Object> node = object(json, path);
    if (node.containsKey("and") || node.containsKey("or")) {
      String key = node.containsKey("and") ? "and" : "or";
      onlyKeys(node, path, key);
      List<Filter> children = new ArrayList<>();
      List<?> items = list(node.get(key), path + "." + key);
      for (int i = 0; i < items.size(); i++) {
        children.add(node(items.get(i), path + "." + key + "[" + i + "]", depth + 1));
      }
      return key.equals("and") ? new Filter.And(children) : new Filter.Or(children);
    }
    if (node.containsKey("not")) {
      onlyKeys(node, path, "not");
      return new Filter.Not(node(node.get("not"), path + ".not", depth + 1));
    }
    return predicate(node, path);
  }

  private static Filter predicate(Map<String, Object> node, String path) {
    if (node.containsKey("attribute")) {
      return attribute(node, path);
    }
    if (node.containsKey("custom_attribute")) {
      return customAttribute(node, path);
    }
    if (node.containsKey("custom_event")) {
      return activity(node, path, false);
    }
    if (node.containsKey("purchased_product")) {
      return activity(node, path, true);
    }
    if (node.containsKey("subscription_group")) {
      onlyKeys(node, path, "subscription_group", "op");
      String op = text(node.get("op"), path + ".op");
      if (!op.equals("subscribed") && !op.equals("unsubscribed")) {
        throw new FilterException(
            path + ".op",
            "'"
                + op
                + "' is not an operator of subscription_group; use subscribed or unsubscribed");
      }
      return new Filter.SubscriptionGroup(
          text(node.get("subscription_group"), path + ".subscription_group"),
          op.equals("subscribed"));
    }
    if (node.containsKey("segment")) {
      onlyKeys(node, path, "segment", "op");
      String op = text(node.get("op"), path + ".op");
      if (!op.equals("in") && !op.equals("not_in")) {
        throw new FilterException(
            path + ".op", "'" + op + "' is not an operator of segment; use in or not_in");
      }
      return new Filter.Segment(text(node.get("segment"), path + ".segment"), op.equals("in"));
    }
    throw new FilterException(
        path,
        "a filter is {\"and\": [...]}, {\"or\": [...]}, {\"not\": {...}} or a predicate with one of "
            + "attribute, custom_attribute, custom_event, purchased_product, subscription_group, segment; got keys "
            + node.keySet());
  }

  private static Filter attribute(Map<String, Object> node, String path) {
    onlyKeys(node, path, "attribute", "op", "value");
    String field = text(node.get("attribute"), path + ".attribute");
    ValueType type = STANDARD_FIELDS.get(field);
    if (type == null) {
      throw new FilterException(
          path + ".attribute",
          "'"
              + field
              + "' is not a standard attribute; use one of "
              + new TreeSet<>(STANDARD_FIELDS.keySet()));
    }
    return new Filter.Attribute(field, condition(node, path, type, "attribute " + field));
  }

  private static Filter customAttribute(Map<String, Object> node, String path) {
    onlyKeys(node, path, "custom_attribute", "path", "op", "value");
    String name = text(node.get("custom_attribute"), path + ".custom_attribute");
    List<String> nestedPath = new ArrayList<>();
    if (node.get("path") != null) {
      List<?> steps = list(node.get("path"), path + ".path");
      for (int i = 0; i < steps.size(); i++) {
        nestedPath.add(text(steps.get(i), path + ".path[" + i + "]"));
      }
    }
    String opName = text(node.get("op"), path + ".op");
    ValueType type = customType(opName, node.get("value"), path);
    return new Filter.CustomAttribute(
        name,
        nestedPath,
        condition(
            node, path, type, "a " + type.name().toLowerCase(Locale.ROOT) + " custom attribute"));
  }

  /**
   * The operator says which type the attribute is compared as; equals and not_equals go by the
   * value.
   */
  private static ValueType customType(String opName, Object value, String path) {
    Operator op =
        Operator.named(opName)
            .orElseThrow(
                () ->
                    new FilterException(
                        path + ".op",
                        "'"
                            + opName
                            + "' is not an operator of custom_attribute; use one of "
                            + operatorNames(Arrays.asList(Operator.values()))));
    if (op == Operator.EQUALS || op == Operator.NOT_EQUALS) {
      if (value instanceof Number) {
        return ValueType.NUMBER;
      }
      if (value instanceof String) {
        return ValueType.TEXT;
      }
      throw new FilterException(path + ".value", op.jsonName() + " needs a string or a number");
    }
    return Arrays.stream(ValueType.values()).filter(op::appliesTo).findFirst().orElseThrow();
  }

  private static Condition condition(
      Map<String, Object> node, String path, ValueType type, String subject) {
    String opName = text(node.get("op"), path + ".op");
    List<Operator> allowed =
        Arrays.stream(Operator.values()).filter(op -> op.appliesTo(type)).toList();
    Operator op =
        Operator.named(opName)
            .filter(allowed::contains)
            .orElseThrow(
                () ->
                    new FilterException(
                        path + ".op",
                        "'"
                            + opName
                            + "' is not an operator of "
                            + subject
                            + "; use one of "
                            + operatorNames(allowed)));
    Object value =
        operand(op.operand(), node.get("value"), node.containsKey("value"), path + ".value");
    boolean comparesEquality = op == Operator.EQUALS || op == Operator.NOT_EQUALS;
    if ((comparesEquality && type == ValueType.TEXT && !(value instanceof String))
        || (comparesEquality && type == ValueType.NUMBER && !(value instanceof BigDecimal))) {
      throw new FilterException(
          path + ".value",
          op.jsonName()
              + " on a "
              + type.name().toLowerCase(Locale.ROOT)
              + " needs a "
              + (type == ValueType.TEXT ? "string" : "number"));
    }
    return new Condition(type, op, value);
  }

  private static Filter activity(Map<String, Object> node, String path, boolean purchase) {
    String family = purchase ? "purchased_product" : "custom_event";
    String verb = purchase ? "purchased" : "performed";
    if (purchase) {
      onlyKeys(node, path, family, "op", "value", "in_last_days");
    } else {
      onlyKeys(node, path, family, "op", "value", "in_last_days", "property");
    }
    String subject = text(node.get(family), path + "." + family);
    String opName = text(node.get("op"), path + ".op");
    List<ActivityOperator> allowed =
        Arrays.stream(ActivityOperator.values()).filter(op -> purchase || !op.isRevenue()).toList();
    ActivityOperator op =
        ActivityOperator.named(opName, verb)
            .filter(allowed::contains)
            .orElseThrow(
                () ->
                    new FilterException(
                        path + ".op",
                        "'"
                            + opName
                            + "' is not an operator of "
                            + family
                            + "; use one of "
                            + allowed.stream()
                                .map(a -> a.jsonName(verb))
                                .collect(Collectors.joining(", "))));
    Object value =
        operand(op.operand(), node.get("value"), node.containsKey("value"), path + ".value");
    Integer window = window(node, op, path);
    Filter.PropertyCondition property = property(node.get("property"), path + ".property", window);
    return new Filter.Activity(
        purchase,
        purchase && subject.equals(ANY_PRODUCT) ? null : subject,
        op,
        value,
        window,
        property);
  }

  private static Integer window(Map<String, Object> node, ActivityOperator op, String path) {
    if (node.get("in_last_days") == null) {
      return null;
    }
    if (!op.windowed()) {
      throw new FilterException(
          path + ".in_last_days",
          "only performed, not_performed, count and revenue operators take a window");
    }
    long days = whole(node.get("in_last_days"), path + ".in_last_days");
    if (days < 1 || days > MAX_WINDOW_DAYS) {
      throw new FilterException(path + ".in_last_days", "must be from 1 to " + MAX_WINDOW_DAYS);
    }
    return (int) days;
  }

  private static Filter.PropertyCondition property(Object json, String path, Integer window) {
    if (json == null) {
      return null;
    }
    if (window == null) {
      throw new FilterException(path, "a property filter needs in_last_days");
    }
    Map<String, Object> node = object(json, path);
    onlyKeys(node, path, "name", "op", "value");
    String name = text(node.get("name"), path + ".name");
    Condition condition = condition(node, path, propertyType(node, path), "an event property");
    return new Filter.PropertyCondition(name, condition);
  }

  /**
   * Properties are compared as text or as numbers: number-only operators and numeric values say
   * number.
   */
  private static ValueType propertyType(Map<String, Object> node, String path) {
    String opName = text(node.get("op"), path + ".op");
    boolean numberOnly =
        Operator.named(opName)
            .filter(op -> op.appliesTo(ValueType.NUMBER) && !op.appliesTo(ValueType.TEXT))
            .isPresent();
    return numberOnly || node.get("value") instanceof Number ? ValueType.NUMBER : ValueType.TEXT;
  }

  private static Object operand(
      Operator.Operand operand, Object value, boolean present, String path) {
    return switch (operand) {
      case NONE -> {
        if (present && value != null) {
          throw new FilterException(path, "this operator takes no value");
        }
        yield null;
      }
      case SCALAR -> {
        if (value instanceof String || value instanceof Boolean) {
          yield value;
        }
        if (value instanceof Number number) {
          yield decimal(number);
        }
        throw new FilterException(path, "needs a string, a number or a boolean");
      }
      case TEXT_LIST -> {
        List<?> items = list(value, path);
        if (items.isEmpty()) {
          throw new FilterException(path, "needs at least one string");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          texts.add(text(items.get(i), path + "[" + i + "]"));
        }
        yield List.copyOf(texts);
      }
      case REGEX -> regex(value, path);
      case NUMBER -> number(value, path);
      case NUMBER_RANGE -> {
        List<?> ends = list(value, path);
        if (ends.size() != 2) {
          throw new FilterException(path, "needs [low, high]");
        }
        BigDecimal low = number(ends.get(0), path + "[0]");
        BigDecimal high = number(ends.get(1), path + "[1]");
        if (low.compareTo(high) > 0) {
          throw new FilterException(path, "low must not be above high");
        }
        yield new Condition.NumberRange(low, high);
      }
      case TIME -> time(value, path);
      case DAYS -> {
        long days = whole(value, path);
        if (days < 0 || days > MAX_DAYS) {
          throw new FilterException(path, "must be a whole number of days from 0 to " + MAX_DAYS);
        }
        yield (int) days;
      }
      case WHOLE -> {
        long count = whole(value, path);
        if (count < 0) {
          throw new FilterException(path, "must not be negative");
        }
        yield count;
      }
    };
  }

  private static String regex(Object value, String path) {
    String pattern = text(value, path);
    try {
      Pattern.compile(pattern);
      return pattern;
    } catch (PatternSyntaxException e) {
      throw new FilterException(
          path, "'" + pattern + "' is not a valid regular expression: " + e.getDescription());
    }
  }

  private static Instant time(Object value, String path) {
    String text = text(value, path);
    return BrazeTimes.parseTime(text)
        .orElseThrow(
            () ->
                new FilterException(
                    path, "'" + text + "' is not a date or time (use ISO 8601, e.g. 2026-01-31)"));
  }

  private static BigDecimal number(Object value, String path) {
    if (!(value instanceof Number number)) {
      throw new FilterException(path, "needs a number");
    }
    return decimal(number);
  }

  private static long whole(Object value, String path) {
    BigDecimal number = number(value, path);
    try {
      return number.longValueExact();
    } catch (ArithmeticException e) {
      throw new FilterException(path, "needs a whole number");
    }
  }

  private static BigDecimal decimal(Number number) {
    if (number instanceof Double || number instanceof Float) {
      double value = number.doubleValue();
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        throw new FilterException("filter", "numbers must be finite");
      }
    }
    return number instanceof BigDecimal decimal ? decimal : new BigDecimal(number.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object json, String path) {
    if (!(json instanceof Map<?, ?> map)) {
      throw new FilterException(path, "must be an object");
    }
    return (Map<String, Object>) map;
  }

  private static List<?> list(Object json, String path) {
    if (!(json instanceof List<?> list)) {
      throw new FilterException(path, "must be an array");
    }
    return list;
  }

  private static String text(Object json, String path) {
    if (!(json instanceof String text) || text.isEmpty()) {
      throw new FilterException(path, "must be a non-empty string");
    }
    return text;
  }

  private static void onlyKeys(Map<String, Object> node, String path, String... allowed) {
    Set<String> known = Set.of(allowed);
    for (String key : node.keySet()) {
      if (!known.contains(key)) {
        throw new FilterException(
            path + "." + key, "unknown key; this node takes " + String.join(", ", allowed));
      }
    }
  }

  private static String operatorNames(List<Operator> operators) {
    return operators.stream().map(Operator::jsonName).collect(Collectors.joining(", "));
  }

  private static Map<String, ValueType> standardFields() {
    Map<String, ValueType> fields = new HashMap<>();
    for (String text :
        List.of(
            "first_name",
            "last_name",
            "email",
            "phone",
            "home_city",
            "country",
            "language",
            "time_zone",
            "gender",
            "email_subscribe",
            "push_subscribe",
            "external_id",
            "braze_id",
            "alias_label")) {
      fields.put(text, ValueType.TEXT);
    }
    fields.put("random_bucket", ValueType.NUMBER);
    fields.put("total_revenue", ValueType.NUMBER);
    fields.put("age", ValueType.NUMBER);
    fields.put("created_at", ValueType.DATE);
    fields.put("dob", ValueType.DATE);
    return Map.copyOf(fields);
  }
}
