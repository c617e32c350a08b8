package dev.kiln.segment.testing;

import java.util.List;

/**
 * The standard fields and the operators of each type as docs/segments.md lists them, written out by
 * hand for the tests that check the filter language against its documentation: the parser's unit
 * tests, the differential segment suite and the fuzzer. It is an oracle, so it does not read the
 * parser's own {@code Operator} table; one copy keeps those three tests agreeing with each other.
 */
public final class DocumentedFilterLanguage {
  private DocumentedFilterLanguage() {}

  public static final List<String> TEXT_FIELDS =
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
          "braze_id");
  public static final List<String> NUMBER_FIELDS = List.of("random_bucket", "total_revenue", "age");
  public static final List<String> DATE_FIELDS = List.of("created_at", "dob");

  public static final List<String> TEXT_OPS =
      List.of(
          "equals",
          "not_equals",
          "in",
          "matches_regex",
          "does_not_match_regex",
          "exists",
          "not_exists",
          "blank");
  public static final List<String> NUMBER_OPS =
      List.of(
          "equals",
          "not_equals",
          "greater_than",
          "greater_than_or_equal",
          "less_than",
          "less_than_or_equal",
          "between",
          "exists",
          "not_exists");
  public static final List<String> BOOLEAN_OPS =
      List.of("is_true", "is_false", "is_true_or_not_set", "is_false_or_not_set");
  public static final List<String> DATE_OPS =
      List.of(
          "before",
          "after",
          "more_than_days_ago",
          "less_than_days_ago",
          "in_more_than_days",
          "in_less_than_days",
          "exists",
          "not_exists");
  public static final List<String> ARRAY_OPS =
      List.of(
          "includes",
          "does_not_include",
          "includes_matching_regex",
          "size_equals",
          "size_greater_than",
          "size_less_than");

  /**
   * The activity operators of custom events and purchases, {@code %s} standing for the verb ({@code
   * performed} or {@code purchased}); the first seven also take an {@code in_last_days} window.
   */
  public static final List<String> ACTIVITY_OPS =
      List.of(
          "%s",
          "not_%s",
          "count_equals",
          "count_greater_than",
          "count_greater_than_or_equal",
          "count_less_than",
          "count_less_than_or_equal",
          "first_%s_before",
          "first_%s_after",
          "last_%s_before",
          "last_%s_after",
          "first_%s_more_than_days_ago",
          "first_%s_less_than_days_ago",
          "last_%s_more_than_days_ago",
          "last_%s_less_than_days_ago");

  public static final List<String> REVENUE_OPS =
      List.of(
          "revenue_greater_than",
          "revenue_greater_than_or_equal",
          "revenue_less_than",
          "revenue_less_than_or_equal");

  /** The activity operators with their verb filled in. */
  public static List<String> activityOps(String verb) {
    return ACTIVITY_OPS.stream().map(op -> op.replace("%s", verb)).toList();
  }
}
