package dev.kiln.storage.tests.segments;

import static dev.kiln.segment.testing.DocumentedFilterLanguage.ARRAY_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.BOOLEAN_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.NUMBER_FIELDS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.TEXT_FIELDS;
import static dev.kiln.storage.tests.segments.Filters.json;
import static dev.kiln.storage.tests.segments.Filters.list;
import static dev.kiln.storage.tests.segments.Filters.object;
import static dev.kiln.storage.tests.segments.Operators.NUMBER_ONLY_OPS;
import static dev.kiln.storage.tests.segments.Operators.TEXT_ONLY_OPS;

import dev.kiln.core.profile.UserAlias;
import dev.kiln.storage.tests.segments.User.Bought;
import dev.kiln.storage.tests.segments.User.Event;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The reference evaluator (the suite's oracle): a JSON-shaped filter evaluated over the in-memory
 * model with the rules of docs/segments.md, written here and sharing nothing with the compiler (it
 * reads the JSON, not the parsed filter).
 *
 * <p>Choices the documentation leaves to the implementation, pinned here as the compiler makes
 * them: {@code exists} on a custom attribute means a value of any type; {@code blank} text is empty
 * or only spaces (U+0020); {@code dob} is a calendar day, so its thresholds are taken as their UTC
 * day; {@code age} is the largest whole number of years n with today (UTC) minus n years on or
 * after dob; {@code not_equals} and {@code does_not_match_regex} on {@code alias_label} mean no
 * alias label equals / matches.
 */
final class ReferenceEvaluation {
  /** The stored segments a filter may refer to, by id. */
  private final Map<String, Map<String, Object>> segments;

  /** The time of the evaluation. */
  private final Instant now;

  private final Map<String, Pattern> patterns = new HashMap<>();

  ReferenceEvaluation(Map<String, Map<String, Object>> segments, Instant now) {
    this.segments = segments;
    this.now = now;
  }

  /** How many of {@code users} the filter matches. */
  long count(List<User> users, Map<String, Object> filter) {
    return users.stream().filter(user -> matches(user, filter)).count();
  }

  boolean matches(User user, Object json) {
    Map<String, Object> node = object(json);
    if (node.containsKey("and")) {
      return list(node.get("and")).stream().allMatch(child -> matches(user, child));
    }
    if (node.containsKey("or")) {
      return list(node.get("or")).stream().anyMatch(child -> matches(user, child));
    }
    if (node.containsKey("not")) {
      return !matches(user, node.get("not"));
    }
    String op = (String) node.get("op");
    Object operand = node.get("value");
    if (node.containsKey("attribute")) {
      return standard(user, (String) node.get("attribute"), op, operand);
    }
    if (node.containsKey("custom_attribute")) {
      Object value = user.custom.get((String) node.get("custom_attribute"));
      for (Object step : node.containsKey("path") ? list(node.get("path")) : List.of()) {
        value = value instanceof Map<?, ?> nested ? nested.get(step) : null;
      }
      return customCondition(op, operand, value);
    }
    if (node.containsKey("custom_event")) {
      return activity(user, false, (String) node.get("custom_event"), node);
    }
    if (node.containsKey("purchased_product")) {
      return activity(user, true, (String) node.get("purchased_product"), node);
    }
    if (node.containsKey("subscription_group")) {
      boolean subscribed =
          "subscribed".equals(user.groups.get((String) node.get("subscription_group")));
      return op.equals("subscribed") == subscribed;
    }
    if (node.containsKey("segment")) {
      Map<String, Object> referenced = segments.get((String) node.get("segment"));
      if (referenced == null) {
        throw new IllegalArgumentException("no segment " + node.get("segment"));
      }
      return op.equals("in") == matches(user, referenced);
    }
    throw new IllegalArgumentException("not a filter: " + json(node));
  }

  private boolean standard(User user, String field, String op, Object operand) {
    if (field.equals("alias_label")) {
      List<String> labels = user.aliases.stream().map(UserAlias::aliasLabel).toList();
      return switch (op) {
        case "exists" -> !labels.isEmpty();
        case "not_exists" -> labels.isEmpty();
        case "blank" ->
            labels.isEmpty() || labels.stream().anyMatch(label -> text("blank", null, label));
        case "not_equals" -> labels.stream().noneMatch(label -> text("equals", operand, label));
        case "does_not_match_regex" ->
            labels.stream().noneMatch(label -> text("matches_regex", operand, label));
        default -> labels.stream().anyMatch(label -> text(op, operand, label));
      };
    }
    Object value =
        switch (field) {
          case "external_id" -> user.externalId;
          case "braze_id" -> user.brazeId;
          case "random_bucket" -> (long) user.randomBucket;
          case "total_revenue" ->
              User.revenue(user.purchases); // every profile has one, 0 without purchases
          case "created_at" -> user.createdAt;
          case "age" ->
              user.standard.get("dob") instanceof String dob ? age(LocalDate.parse(dob)) : null;
          default -> user.standard.get(field);
        };
    if (TEXT_FIELDS.contains(field)) {
      return text(op, operand, value);
    }
    if (NUMBER_FIELDS.contains(field)) {
      return number(op, operand, value);
    }
    if (op.equals("exists") || op.equals("not_exists")) {
      return op.equals("exists") == (value != null);
    }
    if (field.equals("dob")) {
      return value instanceof String dob && dobCondition(op, operand, LocalDate.parse(dob));
    }
    return value instanceof Instant time && date(op, operand, time);
  }

  /**
   * Whole years: the largest n with today minus n years on or after dob. For a past dob that is
   * {@code Period.between(dob, today).getYears()} (born on February 29th, one is a year older on
   * March 1st of a common year); a dob in the future gives a negative age.
   */
  private long age(LocalDate dob) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    long years = Period.between(dob, today).getYears();
    while (dob.isAfter(today.minusYears(years))) {
      years--;
    }
    while (!dob.isAfter(today.minusYears(years + 1))) {
      years++;
    }
    return years;
  }

  /**
   * The operator says the type; equals and not_equals go by the value; exists is any value at all.
   */
  private boolean customCondition(String op, Object operand, Object value) {
    if (op.equals("exists") || op.equals("not_exists")) {
      return op.equals("exists") == (value != null);
    }
    if (op.equals("equals") || op.equals("not_equals")) {
      return operand instanceof Number ? number(op, operand, value) : text(op, operand, value);
    }
    if (TEXT_ONLY_OPS.contains(op)) {
      return text(op, operand, value);
    }
    if (NUMBER_ONLY_OPS.contains(op)) {
      return number(op, operand, value);
    }
    if (BOOLEAN_OPS.contains(op)) {
      return bool(op, value);
    }
    if (ARRAY_OPS.contains(op)) {
      return array(op, operand, value);
    }
    return value instanceof Instant time && date(op, operand, time);
  }

  private boolean text(String op, Object operand, Object value) {
    String text = value instanceof String s ? s : null;
    return switch (op) {
      case "equals" -> text != null && text.equals(operand);
      case "not_equals" -> !(text != null && text.equals(operand));
      case "in" -> text != null && list(operand).contains(text);
      case "matches_regex" -> text != null && find(operand, text);
      case "does_not_match_regex" -> !(text != null && find(operand, text));
      case "blank" -> value == null || (text != null && text.chars().allMatch(c -> c == ' '));
      case "exists" -> value != null;
      case "not_exists" -> value == null;
      default -> throw new IllegalArgumentException("no text operator " + op);
    };
  }

  private static boolean number(String op, Object operand, Object value) {
    BigDecimal number = value instanceof Number n ? decimal(n) : null;
    return switch (op) {
      case "equals" -> number != null && number.compareTo(decimal(operand)) == 0;
      case "not_equals" -> !(number != null && number.compareTo(decimal(operand)) == 0);
      case "greater_than" -> number != null && number.compareTo(decimal(operand)) > 0;
      case "greater_than_or_equal" -> number != null && number.compareTo(decimal(operand)) >= 0;
      case "less_than" -> number != null && number.compareTo(decimal(operand)) < 0;
      case "less_than_or_equal" -> number != null && number.compareTo(decimal(operand)) <= 0;
      case "between" ->
          number != null
              && number.compareTo(decimal(list(operand).get(0))) >= 0
              && number.compareTo(decimal(list(operand).get(1))) <= 0;
      case "exists" -> value != null;
      case "not_exists" -> value == null;
      default -> throw new IllegalArgumentException("no number operator " + op);
    };
  }

  private static boolean bool(String op, Object value) {
    return switch (op) {
      case "is_true" -> Boolean.TRUE.equals(value);
      case "is_false" -> Boolean.FALSE.equals(value);
      case "is_true_or_not_set" -> value == null || Boolean.TRUE.equals(value);
      case "is_false_or_not_set" -> value == null || Boolean.FALSE.equals(value);
      default -> throw new IllegalArgumentException("no boolean operator " + op);
    };
  }

  /**
   * Dates as instants: before and after are strict; relative operators as docs/segments.md and the
   * compiler define them.
   */
  private boolean date(String op, Object operand, Instant time) {
    return switch (op) {
      case "before" -> time.isBefore(time(operand));
      case "after" -> time.isAfter(time(operand));
      case "more_than_days_ago" -> time.isBefore(now.minus(days(operand)));
      case "less_than_days_ago" -> time.isAfter(now.minus(days(operand))) && !time.isAfter(now);
      case "in_more_than_days" -> time.isAfter(now.plus(days(operand)));
      case "in_less_than_days" -> !time.isBefore(now) && time.isBefore(now.plus(days(operand)));
      default -> throw new IllegalArgumentException("no date operator " + op);
    };
  }

  /**
   * {@code dob} is a calendar day: each threshold is taken as its UTC day and days are compared.
   */
  private boolean dobCondition(String op, Object operand, LocalDate dob) {
    LocalDate today = day(now);
    return switch (op) {
      case "before" -> dob.isBefore(day(time(operand)));
      case "after" -> dob.isAfter(day(time(operand)));
      case "more_than_days_ago" -> dob.isBefore(day(now.minus(days(operand))));
      case "less_than_days_ago" ->
          dob.isAfter(day(now.minus(days(operand)))) && !dob.isAfter(today);
      case "in_more_than_days" -> dob.isAfter(day(now.plus(days(operand))));
      case "in_less_than_days" ->
          !dob.isBefore(today) && dob.isBefore(day(now.plus(days(operand))));
      default -> throw new IllegalArgumentException("no date operator " + op);
    };
  }

  /**
   * Arrays: elements compare as JSON values (a string is never a number, true is never 1); regexes
   * see strings only.
   */
  private boolean array(String op, Object operand, Object value) {
    List<?> items = value instanceof List<?> l ? l : null;
    return switch (op) {
      case "includes" ->
          items != null && items.stream().anyMatch(item -> jsonEquals(item, operand));
      case "does_not_include" ->
          !(items != null && items.stream().anyMatch(item -> jsonEquals(item, operand)));
      case "includes_matching_regex" ->
          items != null
              && items.stream().anyMatch(item -> item instanceof String s && find(operand, s));
      case "size_equals" -> items != null && items.size() == whole(operand);
      case "size_greater_than" -> items != null && items.size() > whole(operand);
      case "size_less_than" -> items != null && items.size() < whole(operand);
      default -> throw new IllegalArgumentException("no array operator " + op);
    };
  }

  private static boolean jsonEquals(Object item, Object operand) {
    if (item instanceof Number a && operand instanceof Number b) {
      return decimal(a).compareTo(decimal(b)) == 0;
    }
    return (item instanceof String || item instanceof Boolean) && item.equals(operand);
  }

  private boolean activity(User user, boolean purchase, String subject, Map<String, Object> node) {
    String op = ((String) node.get("op")).replace(purchase ? "purchased" : "performed", "done");
    Object operand = node.get("value");
    Instant since =
        node.get("in_last_days") == null ? null : now.minus(days(node.get("in_last_days")));
    Map<String, Object> property =
        node.get("property") == null ? null : object(node.get("property"));
    List<Instant> times = new ArrayList<>();
    long count = 0;
    BigDecimal revenue = BigDecimal.ZERO;
    if (purchase) {
      for (Bought bought : user.purchases) {
        if ((subject.equals("*") || bought.product().equals(subject))
            && (since == null || !bought.time().isBefore(since))) {
          times.add(bought.time());
          count += bought.quantity();
          revenue = revenue.add(bought.price().multiply(BigDecimal.valueOf(bought.quantity())));
        }
      }
    } else {
      for (Event event : user.events) {
        if (event.name().equals(subject)
            && (since == null || !event.time().isBefore(since))
            && (property == null || propertyMatches(property, event.properties()))) {
          times.add(event.time());
          count++;
        }
      }
    }
    Instant first = times.stream().min(Comparator.naturalOrder()).orElse(null);
    Instant last = times.stream().max(Comparator.naturalOrder()).orElse(null);
    return switch (op) {
      case "done" -> !times.isEmpty();
      case "not_done" -> times.isEmpty();
      case "count_equals" -> count == whole(operand);
      case "count_greater_than" -> count > whole(operand);
      case "count_greater_than_or_equal" -> count >= whole(operand);
      case "count_less_than" -> count < whole(operand);
      case "count_less_than_or_equal" -> count <= whole(operand);
      case "first_done_before" -> first != null && first.isBefore(time(operand));
      case "first_done_after" -> first != null && first.isAfter(time(operand));
      case "last_done_before" -> last != null && last.isBefore(time(operand));
      case "last_done_after" -> last != null && last.isAfter(time(operand));
      case "first_done_more_than_days_ago" ->
          first != null && first.isBefore(now.minus(days(operand)));
      case "first_done_less_than_days_ago" ->
          first != null && first.isAfter(now.minus(days(operand)));
      case "last_done_more_than_days_ago" ->
          last != null && last.isBefore(now.minus(days(operand)));
      case "last_done_less_than_days_ago" -> last != null && last.isAfter(now.minus(days(operand)));
      case "revenue_greater_than" -> revenue.compareTo(decimal(operand)) > 0;
      case "revenue_greater_than_or_equal" -> revenue.compareTo(decimal(operand)) >= 0;
      case "revenue_less_than" -> revenue.compareTo(decimal(operand)) < 0;
      case "revenue_less_than_or_equal" -> revenue.compareTo(decimal(operand)) <= 0;
      default -> throw new IllegalArgumentException("no activity operator " + node.get("op"));
    };
  }

  /**
   * Event properties compare as numbers for number-only operators or a number value, else as text.
   */
  private boolean propertyMatches(Map<String, Object> property, Map<String, Object> properties) {
    String op = (String) property.get("op");
    Object operand = property.get("value");
    Object value = properties.get((String) property.get("name"));
    return (NUMBER_ONLY_OPS.contains(op) || operand instanceof Number)
        ? number(op, operand, value)
        : text(op, operand, value);
  }

  private boolean find(Object pattern, String text) {
    return patterns.computeIfAbsent((String) pattern, Pattern::compile).matcher(text).find();
  }

  private static BigDecimal decimal(Object number) {
    return number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
  }

  private static long whole(Object number) {
    return decimal(number).longValueExact();
  }

  private static Duration days(Object number) {
    return Duration.ofDays(whole(number));
  }

  /** An ISO date (midnight UTC) or an ISO instant, the two forms the cases use. */
  private static Instant time(Object text) {
    String s = (String) text;
    return s.length() == 10
        ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
        : Instant.parse(s);
  }

  private static LocalDate day(Instant time) {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }
}
