package dev.kiln.segment;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A readable sentence for a filter, for Braze's {@code description} in /segments/details: {@code
 * country in US, CA and custom event watched_trailer count greater than or equal 2 in the last 30
 * days}.
 */
public final class FilterDescriber {
  private FilterDescriber() {}

  public static String describe(Filter filter) {
    return switch (filter) {
      case Filter.And and -> and.filters().isEmpty() ? "all users" : join(and.filters(), " and ");
      case Filter.Or or -> or.filters().isEmpty() ? "no users" : join(or.filters(), " or ");
      case Filter.Not not -> "not (" + describe(not.filter()) + ")";
      case Filter.Attribute attribute -> attribute.field() + " " + condition(attribute.condition());
      case Filter.CustomAttribute custom ->
          "custom attribute "
              + String.join(".", prepend(custom.name(), custom.path()))
              + " "
              + condition(custom.condition());
      case Filter.Activity activity -> activity(activity);
      case Filter.SubscriptionGroup group ->
          (group.subscribed() ? "subscribed to" : "not subscribed to")
              + " subscription group "
              + group.groupId();
      case Filter.Segment segment ->
          (segment.in() ? "in" : "not in") + " segment " + segment.segmentId();
    };
  }

  private static String join(List<Filter> filters, String separator) {
    return filters.stream()
        .map(
            f ->
                f instanceof Filter.And || f instanceof Filter.Or
                    ? "(" + describe(f) + ")"
                    : describe(f))
        .collect(Collectors.joining(separator));
  }

  private static String condition(Condition condition) {
    String op = condition.op().jsonName().replace('_', ' ');
    Object value = condition.value();
    if (value == null) {
      return op;
    }
    if (value instanceof Condition.NumberRange range) {
      return op + " " + range.low().toPlainString() + " and " + range.high().toPlainString();
    }
    if (value instanceof List<?> list) {
      return op + " " + list.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
    return op + " " + value;
  }

  private static String activity(Filter.Activity activity) {
    String subject =
        activity.purchase()
            ? (activity.subject() == null ? "any product" : "product " + activity.subject())
            : "custom event " + activity.subject();
    String op =
        activity.op().jsonName(activity.purchase() ? "purchased" : "performed").replace('_', ' ');
    StringBuilder sentence = new StringBuilder(subject).append(' ').append(op);
    if (activity.value() != null) {
      sentence.append(' ').append(activity.value());
    }
    if (activity.inLastDays() != null) {
      sentence.append(" in the last ").append(activity.inLastDays()).append(" days");
    }
    if (activity.property() != null) {
      sentence
          .append(" with property ")
          .append(activity.property().name())
          .append(' ')
          .append(condition(activity.property().condition()));
    }
    return sentence.toString();
  }

  private static List<String> prepend(String first, List<String> rest) {
    return Stream.concat(Stream.of(first), rest.stream()).toList();
  }
}
