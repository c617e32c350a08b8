package dev.kiln.storage.tests.segments;

import static dev.kiln.segment.testing.DocumentedFilterLanguage.REVENUE_OPS;
import static dev.kiln.storage.tests.segments.Case.c;
import static dev.kiln.storage.tests.segments.Case.trivial;
import static dev.kiln.storage.tests.segments.Filters.and;
import static dev.kiln.storage.tests.segments.Filters.attr;
import static dev.kiln.storage.tests.segments.Filters.custom;
import static dev.kiln.storage.tests.segments.Filters.event;
import static dev.kiln.storage.tests.segments.Filters.group;
import static dev.kiln.storage.tests.segments.Filters.nested;
import static dev.kiln.storage.tests.segments.Filters.not;
import static dev.kiln.storage.tests.segments.Filters.or;
import static dev.kiln.storage.tests.segments.Filters.prop;
import static dev.kiln.storage.tests.segments.Filters.purchase;
import static dev.kiln.storage.tests.segments.Filters.segment;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cases, one list per family of docs/segments.md (the standard text attributes' in {@link
 * StandardTextCases}). Some operands come from the population (an email one user has, the total
 * most users spent) and times are relative to the time of the counts, so the cases are made for one
 * written population.
 */
final class SegmentCases {
  /**
   * The stored segments the cases refer to, by id: segments that refer to segments, three levels
   * deep.
   */
  static final Map<String, Map<String, Object>> STORED_SEGMENTS =
      Map.of(
          "seg-us", attr("country", "equals", "US"),
          "seg-pro", custom("plan", "equals", "pro"),
          "seg-active-us",
              and(segment("seg-us", "in"), event("app_open", "performed", null, 30, null)),
          "seg-not-active-us", not(segment("seg-active-us", "in")));

  private final List<User> users;

  /** The time of the counts. */
  private final Instant now;

  SegmentCases(List<User> users, Instant now) {
    this.users = users;
    this.now = now;
  }

  /** An instant {@code days} days from now (negative: ago), off midnight. */
  private String at(int days) {
    return now.plus(Duration.ofDays(days)).plusSeconds(4_321).toString();
  }

  /** The UTC date {@code days} days from now (negative: ago). */
  private String onDay(int days) {
    return LocalDate.ofInstant(now.plus(Duration.ofDays(days)), ZoneOffset.UTC).toString();
  }

  List<Case> standardTextCases() {
    return new StandardTextCases(users).cases();
  }

  List<Case> standardNumberCases() {
    int bucket = users.get(77).randomBucket;
    BigDecimal commonTotal = mostCommonTotals("*", 1).get(0);
    return List.of(
        c("random_bucket equals", attr("random_bucket", "equals", bucket)),
        c("random_bucket not_equals", attr("random_bucket", "not_equals", bucket)),
        c("random_bucket greater_than", attr("random_bucket", "greater_than", 5000)),
        c(
            "random_bucket greater_than_or_equal",
            attr("random_bucket", "greater_than_or_equal", 5000)),
        c("random_bucket less_than", attr("random_bucket", "less_than", 1000)),
        c("random_bucket less_than_or_equal", attr("random_bucket", "less_than_or_equal", 999)),
        c("random_bucket between", attr("random_bucket", "between", List.of(1000, 1999))),
        c(
            "random_bucket between (fractional ends)",
            attr("random_bucket", "between", List.of(2500.5, 2600))),
        trivial("random_bucket exists", attr("random_bucket", "exists")),
        trivial("random_bucket not_exists", attr("random_bucket", "not_exists")),
        c("total_revenue equals 0 (no purchases)", attr("total_revenue", "equals", 0)),
        c("total_revenue equals an exact total", attr("total_revenue", "equals", commonTotal)),
        c("total_revenue not_equals 0", attr("total_revenue", "not_equals", 0)),
        c("total_revenue greater_than", attr("total_revenue", "greater_than", 50)),
        c(
            "total_revenue greater_than_or_equal",
            attr("total_revenue", "greater_than_or_equal", 100)),
        c(
            "total_revenue greater_than_or_equal an exact total",
            attr("total_revenue", "greater_than_or_equal", commonTotal)),
        c("total_revenue less_than", attr("total_revenue", "less_than", 10)),
        c(
            "total_revenue less_than_or_equal an exact total",
            attr("total_revenue", "less_than_or_equal", commonTotal)),
        c("total_revenue between", attr("total_revenue", "between", List.of(10, 50))),
        trivial("total_revenue exists (every profile has one)", attr("total_revenue", "exists")),
        trivial("total_revenue not_exists", attr("total_revenue", "not_exists")),
        c("age equals", attr("age", "equals", 30)),
        trivial("age equals a fraction", attr("age", "equals", 30.5)),
        c("age not_equals (also users without dob)", attr("age", "not_equals", 30)),
        c("age greater_than", attr("age", "greater_than", 40)),
        c("age greater_than a fraction", attr("age", "greater_than", 30.5)),
        c("age greater_than_or_equal", attr("age", "greater_than_or_equal", 40)),
        c("age greater_than_or_equal a fraction", attr("age", "greater_than_or_equal", 30.5)),
        c("age less_than", attr("age", "less_than", 25)),
        c("age less_than a fraction", attr("age", "less_than", 30.5)),
        c("age less_than 0 (dob in the future)", attr("age", "less_than", 0)),
        c("age less_than_or_equal", attr("age", "less_than_or_equal", 25)),
        c("age less_than_or_equal a fraction", attr("age", "less_than_or_equal", 30.5)),
        c("age between", attr("age", "between", List.of(18, 34))),
        c("age between fractions", attr("age", "between", List.of(20.5, 30.5))),
        c("age exists", attr("age", "exists")),
        c("age not_exists", attr("age", "not_exists")));
  }

  List<Case> standardDateCases() {
    String splitAt = users.get(Population.USERS / 4).createdAt.toString();
    return List.of(
        c("created_at before", attr("created_at", "before", splitAt)),
        c("created_at after", attr("created_at", "after", splitAt)),
        c(
            "created_at more_than_days_ago 0 (before now)",
            attr("created_at", "more_than_days_ago", 0)),
        c("created_at less_than_days_ago 1", attr("created_at", "less_than_days_ago", 1)),
        trivial("created_at less_than_days_ago 0", attr("created_at", "less_than_days_ago", 0)),
        c("created_at in_more_than_days 0 (after now)", attr("created_at", "in_more_than_days", 0)),
        c("created_at in_less_than_days 1", attr("created_at", "in_less_than_days", 1)),
        trivial("created_at exists", attr("created_at", "exists")),
        trivial("created_at not_exists", attr("created_at", "not_exists")),
        c("dob before a date", attr("dob", "before", "2000-01-01")),
        c("dob after a date", attr("dob", "after", "1980-06-15")),
        c("dob before a time of day", attr("dob", "before", "1990-03-03T12:00:00Z")),
        c("dob after a time of day", attr("dob", "after", "1990-03-03T12:00:00Z")),
        c("dob more_than_days_ago", attr("dob", "more_than_days_ago", 10_000)),
        c("dob less_than_days_ago", attr("dob", "less_than_days_ago", 9_000)),
        c("dob in_more_than_days (future dob)", attr("dob", "in_more_than_days", 30)),
        c("dob in_less_than_days (future dob)", attr("dob", "in_less_than_days", 100)),
        c("dob exists", attr("dob", "exists")),
        c("dob not_exists", attr("dob", "not_exists")));
  }

  List<Case> aliasLabelCases() {
    return List.of(
        c("alias_label equals", attr("alias_label", "equals", "amplitude_id")),
        c("alias_label not_equals", attr("alias_label", "not_equals", "amplitude_id")),
        c("alias_label in", attr("alias_label", "in", List.of("legacy_crm", "mixpanel_id"))),
        c("alias_label matches_regex", attr("alias_label", "matches_regex", "_id$")),
        c("alias_label does_not_match_regex", attr("alias_label", "does_not_match_regex", "^amp")),
        c("alias_label exists (any alias)", attr("alias_label", "exists")),
        c("alias_label not_exists", attr("alias_label", "not_exists")),
        c("alias_label blank", attr("alias_label", "blank")));
  }

  List<Case> customTextCases() {
    return List.of(
        c("plan equals", custom("plan", "equals", "pro")),
        c("plan not_equals (missing and other types too)", custom("plan", "not_equals", "pro")),
        c("plan in", custom("plan", "in", List.of("team", "enterprise"))),
        c("plan matches_regex", custom("plan", "matches_regex", "^(pro|team)$")),
        c("plan matches_regex anywhere", custom("plan", "matches_regex", "e")),
        c("plan does_not_match_regex", custom("plan", "does_not_match_regex", "^f")),
        c("plan exists (any type)", custom("plan", "exists")),
        c("plan not_exists", custom("plan", "not_exists")),
        c("plan blank (missing, empty, spaces)", custom("plan", "blank")),
        c("score equals a string (text only)", custom("score", "equals", "42")),
        c("score not_equals a string", custom("score", "not_equals", "42")),
        c("score matches_regex (text values only)", custom("score", "matches_regex", "^4")),
        c("utm.source equals (dot in name)", custom("utm.source", "equals", "facebook ads")),
        c("utm.source matches_regex", custom("utm.source", "matches_regex", "\\s")),
        c("utm.source not_equals", custom("utm.source", "not_equals", "google")));
  }

  List<Case> customNumberCases() {
    return List.of(
        c("score equals", custom("score", "equals", 42)),
        c("score equals a decimal", custom("score", "equals", 42.5)),
        c("score not_equals (missing and other types too)", custom("score", "not_equals", 42)),
        c("score greater_than", custom("score", "greater_than", 50)),
        c("score greater_than_or_equal", custom("score", "greater_than_or_equal", 50)),
        c("score less_than", custom("score", "less_than", 10)),
        c("score less_than 0", custom("score", "less_than", 0)),
        c("score less_than_or_equal", custom("score", "less_than_or_equal", 10)),
        c("score between", custom("score", "between", List.of(10, 20))),
        c("score between decimals", custom("score", "between", List.of(10.25, 20.75))),
        c("score exists", custom("score", "exists")),
        c("score not_exists", custom("score", "not_exists")),
        c("plan greater_than (numbers only)", custom("plan", "greater_than", 0)),
        c("vip equals 1 (a number, not true)", custom("vip", "equals", 1)));
  }

  List<Case> customBooleanCases() {
    return List.of(
        c("vip is_true", custom("vip", "is_true")),
        c("vip is_false", custom("vip", "is_false")),
        c("vip is_true_or_not_set", custom("vip", "is_true_or_not_set")),
        c("vip is_false_or_not_set", custom("vip", "is_false_or_not_set")),
        c("plan is_true (some plans are booleans)", custom("plan", "is_true")),
        c("score is_false_or_not_set", custom("score", "is_false_or_not_set")));
  }

  List<Case> customDateCases() {
    return List.of(
        c("last_seen_at before a time", custom("last_seen_at", "before", at(-100))),
        c("last_seen_at after a time", custom("last_seen_at", "after", at(-100))),
        c("last_seen_at before a date", custom("last_seen_at", "before", onDay(-200))),
        c("last_seen_at after a date", custom("last_seen_at", "after", onDay(-30))),
        c("last_seen_at more_than_days_ago", custom("last_seen_at", "more_than_days_ago", 30)),
        c("last_seen_at less_than_days_ago", custom("last_seen_at", "less_than_days_ago", 30)),
        trivial(
            "last_seen_at less_than_days_ago 0", custom("last_seen_at", "less_than_days_ago", 0)),
        trivial(
            "last_seen_at in_more_than_days 0 (all in the past)",
            custom("last_seen_at", "in_more_than_days", 0)),
        c("last_seen_at exists (any type)", custom("last_seen_at", "exists")),
        c("last_seen_at not_exists", custom("last_seen_at", "not_exists")),
        c("renews_at in_less_than_days", custom("renews_at", "in_less_than_days", 7)),
        trivial("renews_at in_less_than_days 0", custom("renews_at", "in_less_than_days", 0)),
        c("renews_at in_more_than_days", custom("renews_at", "in_more_than_days", 30)),
        c("renews_at in_more_than_days 0", custom("renews_at", "in_more_than_days", 0)),
        c("renews_at more_than_days_ago", custom("renews_at", "more_than_days_ago", 10)),
        c("renews_at less_than_days_ago", custom("renews_at", "less_than_days_ago", 10)),
        c("renews_at after a future time", custom("renews_at", "after", at(60))),
        c("renews_at before a future date", custom("renews_at", "before", onDay(60))));
  }

  List<Case> customArrayCases() {
    return List.of(
        c("favorite_genres includes", custom("favorite_genres", "includes", "comedy")),
        c(
            "favorite_genres does_not_include (missing and non-arrays too)",
            custom("favorite_genres", "does_not_include", "horror")),
        c(
            "favorite_genres includes_matching_regex",
            custom("favorite_genres", "includes_matching_regex", "^sci")),
        c(
            "favorite_genres includes_matching_regex anywhere",
            custom("favorite_genres", "includes_matching_regex", "o")),
        c(
            "favorite_genres includes_matching_regex word boundary",
            custom("favorite_genres", "includes_matching_regex", "^sci\\b")),
        trivial(
            "favorite_genres includes is not a substring match",
            custom("favorite_genres", "includes", "sci")),
        c("favorite_genres size_equals", custom("favorite_genres", "size_equals", 2)),
        c("favorite_genres size_equals 0", custom("favorite_genres", "size_equals", 0)),
        c("favorite_genres size_greater_than", custom("favorite_genres", "size_greater_than", 2)),
        c("favorite_genres size_less_than", custom("favorite_genres", "size_less_than", 3)),
        c("favorite_genres size_less_than 1", custom("favorite_genres", "size_less_than", 1)),
        c(
            "favorite_genres equals (a string, not an array)",
            custom("favorite_genres", "equals", "comedy")),
        c("lucky includes a number", custom("lucky", "includes", 7)),
        c("lucky includes a decimal", custom("lucky", "includes", 2.5)),
        c("lucky includes a numeric string", custom("lucky", "includes", "7")),
        c("lucky includes true (not the number 1)", custom("lucky", "includes", true)),
        c("lucky includes false", custom("lucky", "includes", false)),
        c("lucky includes 1 (not true)", custom("lucky", "includes", 1)),
        c("lucky does_not_include 1", custom("lucky", "does_not_include", 1)),
        c("lucky does_not_include true", custom("lucky", "does_not_include", true)),
        c(
            "lucky includes_matching_regex sees strings only (not the number 7)",
            custom("lucky", "includes_matching_regex", "^7$")),
        c("lucky includes_matching_regex", custom("lucky", "includes_matching_regex", "u")),
        c("lucky size_greater_than", custom("lucky", "size_greater_than", 1)),
        c("pets size_equals (array of objects)", custom("pets", "size_equals", 1)),
        c("pets size_greater_than", custom("pets", "size_greater_than", 1)),
        trivial(
            "pets includes a string (objects are not strings)", custom("pets", "includes", "dog")),
        trivial(
            "pets includes_matching_regex sees no objects",
            custom("pets", "includes_matching_regex", "dog")));
  }

  List<Case> nestedCases() {
    List<String> city = List.of("city");
    Object someZip =
        users.stream()
            .map(u -> u.custom.get("address"))
            .filter(a -> a instanceof Map<?, ?> m && m.get("zip") instanceof Long)
            .map(a -> ((Map<?, ?>) a).get("zip"))
            .findFirst()
            .orElseThrow();
    return List.of(
        c("address.city equals", nested("address", city, "equals", "Paris")),
        c("address.city not_equals", nested("address", city, "not_equals", "Paris")),
        c("address.city in", nested("address", city, "in", List.of("London", "Berlin"))),
        c("address.city matches_regex", nested("address", city, "matches_regex", "^New")),
        c(
            "address.city does_not_match_regex",
            nested("address", city, "does_not_match_regex", "a")),
        c("address.city blank", nested("address", city, "blank", null)),
        c("address.city exists", nested("address", city, "exists", null)),
        c("address.city not_exists", nested("address", city, "not_exists", null)),
        c("address.zip greater_than", nested("address", List.of("zip"), "greater_than", 50_000)),
        c(
            "address.zip between",
            nested("address", List.of("zip"), "between", List.of(10_000, 20_000))),
        c("address.zip equals a string", nested("address", List.of("zip"), "equals", "75001")),
        c(
            "address.zip not_equals a number",
            nested("address", List.of("zip"), "not_equals", someZip)),
        c(
            "address.geo.country equals",
            nested("address", List.of("geo", "country"), "equals", "FR")),
        c(
            "address.geo.lat greater_than",
            nested("address", List.of("geo", "lat"), "greater_than", 45.5)),
        c(
            "address.geo.lat less_than_or_equal",
            nested("address", List.of("geo", "lat"), "less_than_or_equal", -10.25)),
        c("address.geo exists", nested("address", List.of("geo"), "exists", null)),
        c("address.geo not_exists", nested("address", List.of("geo"), "not_exists", null)),
        c("address exists (object or string)", custom("address", "exists")),
        c("address equals (the string form)", custom("address", "equals", "Paris")));
  }

  List<Case> eventCases() {
    String e = "watched_trailer";
    List<Case> cases =
        new ArrayList<>(
            List.of(
                c("performed", event(e, "performed", null, null, null)),
                c("not_performed", event(e, "not_performed", null, null, null)),
                c("count_equals", event(e, "count_equals", 2, null, null)),
                c("count_equals 0", event(e, "count_equals", 0, null, null)),
                c("count_greater_than", event(e, "count_greater_than", 2, null, null)),
                c(
                    "count_greater_than_or_equal",
                    event(e, "count_greater_than_or_equal", 2, null, null)),
                c("count_less_than", event(e, "count_less_than", 2, null, null)),
                c("count_less_than_or_equal", event(e, "count_less_than_or_equal", 2, null, null)),
                c(
                    "first_performed_before a date",
                    event(e, "first_performed_before", onDay(-200), null, null)),
                c(
                    "first_performed_before a time",
                    event(e, "first_performed_before", at(-200), null, null)),
                c("first_performed_after", event(e, "first_performed_after", at(-100), null, null)),
                c("last_performed_before", event(e, "last_performed_before", at(-100), null, null)),
                c("last_performed_after", event(e, "last_performed_after", onDay(-30), null, null)),
                c(
                    "first_performed_more_than_days_ago",
                    event(e, "first_performed_more_than_days_ago", 200, null, null)),
                c(
                    "first_performed_less_than_days_ago",
                    event(e, "first_performed_less_than_days_ago", 200, null, null)),
                c(
                    "last_performed_more_than_days_ago",
                    event(e, "last_performed_more_than_days_ago", 60, null, null)),
                c(
                    "last_performed_less_than_days_ago",
                    event(e, "last_performed_less_than_days_ago", 7, null, null)),
                c(
                    "app_open count_greater_than_or_equal",
                    event("app_open", "count_greater_than_or_equal", 6, null, null)),
                trivial(
                    "app_open last_performed_less_than_days_ago 0 (nothing after now)",
                    event("app_open", "last_performed_less_than_days_ago", 0, null, null)),
                c("rare_event performed", event("rare_event", "performed", null, null, null)),
                trivial(
                    "unknown event performed", event("never_sent", "performed", null, null, null)),
                trivial(
                    "unknown event not_performed",
                    event("never_sent", "not_performed", null, null, null)),
                trivial(
                    "unknown event count_equals 0",
                    event("never_sent", "count_equals", 0, null, null)),
                c("performed in_last_days", event(e, "performed", null, 30, null)),
                c("not_performed in_last_days", event(e, "not_performed", null, 30, null)),
                c("count_equals in_last_days", event("app_open", "count_equals", 1, 60, null)),
                c("count_equals 0 in_last_days", event("app_open", "count_equals", 0, 60, null)),
                c(
                    "count_greater_than in_last_days",
                    event("app_open", "count_greater_than", 1, 90, null)),
                c(
                    "count_greater_than_or_equal in_last_days",
                    event(e, "count_greater_than_or_equal", 2, 90, null)),
                c(
                    "count_less_than in_last_days",
                    event("app_open", "count_less_than", 3, 365, null)),
                c(
                    "count_less_than_or_equal in_last_days",
                    event("app_open", "count_less_than_or_equal", 2, 180, null)),
                c("performed in_last_days 1", event("app_open", "performed", null, 1, null)),
                c("performed in_last_days 3650 (all)", event(e, "performed", null, 3650, null))));
    String s = "played_song";
    cases.addAll(
        List.of(
            c(
                "property source equals",
                event(s, "performed", null, 90, prop("source", "equals", "ios"))),
            c(
                "property source not_equals (missing too)",
                event(s, "performed", null, 90, prop("source", "not_equals", "ios"))),
            c(
                "property source in",
                event(s, "performed", null, 90, prop("source", "in", List.of("ios", "android")))),
            c(
                "property source matches_regex",
                event(s, "performed", null, 90, prop("source", "matches_regex", "^i"))),
            c(
                "property source does_not_match_regex",
                event(s, "performed", null, 90, prop("source", "does_not_match_regex", "o"))),
            c(
                "property source blank",
                event(s, "performed", null, 365, prop("source", "blank", null))),
            c(
                "property source exists",
                event(s, "performed", null, 90, prop("source", "exists", null))),
            c(
                "property source not_exists",
                event(s, "performed", null, 365, prop("source", "not_exists", null))),
            c(
                "property duration equals a number",
                event(s, "performed", null, 365, prop("duration", "equals", 30))),
            c(
                "property duration equals a string",
                event(s, "performed", null, 365, prop("duration", "equals", "30"))),
            c(
                "property duration not_equals",
                event(s, "performed", null, 90, prop("duration", "not_equals", 30))),
            c(
                "property duration greater_than",
                event(s, "performed", null, 90, prop("duration", "greater_than", 300))),
            c(
                "property duration greater_than_or_equal",
                event(s, "performed", null, 90, prop("duration", "greater_than_or_equal", 300.5))),
            c(
                "property duration less_than",
                event(s, "performed", null, 90, prop("duration", "less_than", 60))),
            c(
                "property duration less_than_or_equal",
                event(s, "performed", null, 90, prop("duration", "less_than_or_equal", 60))),
            c(
                "property duration between",
                event(s, "performed", null, 180, prop("duration", "between", List.of(60, 120)))),
            c(
                "property with not_performed",
                event(s, "not_performed", null, 90, prop("source", "equals", "web"))),
            c(
                "property with count_greater_than_or_equal",
                event(s, "count_greater_than_or_equal", 2, 365, prop("source", "equals", "ios"))),
            c(
                "property with count_equals 0",
                event(s, "count_equals", 0, 180, prop("duration", "greater_than", 100))),
            c(
                "property with count_less_than",
                event(s, "count_less_than", 2, 365, prop("source", "in", List.of("web")))),
            c(
                "property with count_greater_than",
                event(s, "count_greater_than", 1, 365, prop("duration", "less_than", 300))),
            c(
                "property with count_less_than_or_equal",
                event(s, "count_less_than_or_equal", 1, 365, prop("source", "exists", null)))));
    return cases;
  }

  List<Case> purchaseCases() {
    String p = "sku-0003";
    return List.of(
        c("purchased", purchase(p, "purchased", null, null)),
        c("not_purchased", purchase(p, "not_purchased", null, null)),
        c("count_equals (quantities summed)", purchase(p, "count_equals", 3, null)),
        c("count_greater_than", purchase(p, "count_greater_than", 2, null)),
        c("count_greater_than_or_equal", purchase(p, "count_greater_than_or_equal", 2, null)),
        c("count_less_than", purchase(p, "count_less_than", 2, null)),
        c("count_less_than_or_equal", purchase(p, "count_less_than_or_equal", 2, null)),
        c("first_purchased_before", purchase(p, "first_purchased_before", at(-200), null)),
        c("first_purchased_after", purchase(p, "first_purchased_after", onDay(-100), null)),
        c("last_purchased_before", purchase(p, "last_purchased_before", onDay(-100), null)),
        c("last_purchased_after", purchase(p, "last_purchased_after", at(-30), null)),
        c(
            "first_purchased_more_than_days_ago",
            purchase(p, "first_purchased_more_than_days_ago", 200, null)),
        c(
            "first_purchased_less_than_days_ago",
            purchase(p, "first_purchased_less_than_days_ago", 200, null)),
        c(
            "last_purchased_more_than_days_ago",
            purchase(p, "last_purchased_more_than_days_ago", 60, null)),
        c(
            "last_purchased_less_than_days_ago",
            purchase(p, "last_purchased_less_than_days_ago", 60, null)),
        c("purchased in_last_days", purchase(p, "purchased", null, 30)),
        c("not_purchased in_last_days", purchase(p, "not_purchased", null, 30)),
        c("count_equals in_last_days", purchase(p, "count_equals", 2, 180)),
        c("count_greater_than in_last_days", purchase(p, "count_greater_than", 1, 180)),
        c(
            "count_greater_than_or_equal in_last_days",
            purchase(p, "count_greater_than_or_equal", 3, 365)),
        c("count_less_than in_last_days", purchase(p, "count_less_than", 2, 90)),
        c("count_less_than_or_equal in_last_days", purchase(p, "count_less_than_or_equal", 1, 90)),
        c("any product purchased", purchase("*", "purchased", null, null)),
        c("any product not_purchased", purchase("*", "not_purchased", null, null)),
        c(
            "any product count_greater_than in_last_days",
            purchase("*", "count_greater_than", 3, 90)),
        c("any product count_equals", purchase("*", "count_equals", 4, null)),
        c(
            "any product first_purchased_before",
            purchase("*", "first_purchased_before", at(-300), null)),
        c("any product last_purchased_after", purchase("*", "last_purchased_after", at(-20), null)),
        c(
            "any product last_purchased_more_than_days_ago",
            purchase("*", "last_purchased_more_than_days_ago", 60, null)),
        c(
            "any product first_purchased_less_than_days_ago",
            purchase("*", "first_purchased_less_than_days_ago", 100, null)),
        c("any product not_purchased in_last_days", purchase("*", "not_purchased", null, 30)),
        c(
            "any product count_greater_than_or_equal",
            purchase("*", "count_greater_than_or_equal", 6, null)),
        c("any product count_less_than", purchase("*", "count_less_than", 3, null)),
        c(
            "any product count_less_than_or_equal in_last_days",
            purchase("*", "count_less_than_or_equal", 2, 120)),
        c(
            "any product first_purchased_after",
            purchase("*", "first_purchased_after", onDay(-150), null)),
        c(
            "any product last_purchased_before",
            purchase("*", "last_purchased_before", at(-90), null)),
        c(
            "any product first_purchased_more_than_days_ago",
            purchase("*", "first_purchased_more_than_days_ago", 300, null)),
        c(
            "any product last_purchased_less_than_days_ago",
            purchase("*", "last_purchased_less_than_days_ago", 14, null)),
        trivial("unknown product purchased", purchase("sku-none", "purchased", null, null)));
  }

  List<Case> revenueCases() {
    List<Case> cases =
        new ArrayList<>(
            List.of(
                c(
                    "any product revenue_greater_than",
                    purchase("*", "revenue_greater_than", 50, null)),
                c(
                    "any product revenue_greater_than_or_equal in_last_days",
                    purchase("*", "revenue_greater_than_or_equal", 100, 180)),
                c(
                    "any product revenue_less_than (no purchases too)",
                    purchase("*", "revenue_less_than", 10, null)),
                c(
                    "any product revenue_less_than_or_equal 0",
                    purchase("*", "revenue_less_than_or_equal", 0, null)),
                c(
                    "any product revenue_greater_than in_last_days",
                    purchase("*", "revenue_greater_than", 20, 30)),
                c(
                    "sku-0004 revenue_greater_than_or_equal (price x quantity)",
                    purchase("sku-0004", "revenue_greater_than_or_equal", 39.98, null)),
                c(
                    "sku-0004 revenue_less_than in_last_days",
                    purchase("sku-0004", "revenue_less_than", 20, 180)),
                c(
                    "sku-0005 revenue_less_than_or_equal",
                    purchase("sku-0005", "revenue_less_than_or_equal", 49, null))));
    // Totals some users spent exactly: revenue is price times quantity summed, so the comparison
    // must be exact.
    Map<String, List<BigDecimal>> exactTotals = new LinkedHashMap<>();
    exactTotals.put("sku-0003", List.of(new BigDecimal("29.97")));
    exactTotals.put("sku-0006", List.of(new BigDecimal("0.3")));
    exactTotals.put("*", mostCommonTotals("*", 4));
    exactTotals.forEach(
        (product, totals) -> {
          for (BigDecimal total : totals) {
            for (String op : REVENUE_OPS) {
              cases.add(
                  c(
                      (product.equals("*") ? "any product " : product + " ")
                          + op
                          + " at an exact total "
                          + total,
                      purchase(product, op, total, null)));
            }
          }
        });
    return cases;
  }

  /** The totals most users spent on the product ("*": any), above zero. */
  private List<BigDecimal> mostCommonTotals(String product, int how) {
    Map<BigDecimal, Long> counts =
        users.stream()
            .map(
                u ->
                    User.revenue(
                        u.purchases.stream()
                            .filter(b -> product.equals("*") || b.product().equals(product))
                            .toList()))
            .filter(total -> total.signum() > 0)
            .map(BigDecimal::stripTrailingZeros)
            .collect(
                Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    return counts.entrySet().stream()
        .sorted(Map.Entry.<BigDecimal, Long>comparingByValue().reversed())
        .limit(how)
        .map(Map.Entry::getKey)
        .toList();
  }

  List<Case> subscriptionGroupCases() {
    return List.of(
        c("sg-newsletter subscribed", group("sg-newsletter", "subscribed")),
        c("sg-newsletter unsubscribed (no state too)", group("sg-newsletter", "unsubscribed")),
        c("sg-sms subscribed", group("sg-sms", "subscribed")),
        c("sg-sms unsubscribed", group("sg-sms", "unsubscribed")),
        trivial("unknown group subscribed", group("sg-none", "subscribed")),
        trivial("unknown group unsubscribed", group("sg-none", "unsubscribed")));
  }

  List<Case> segmentCases() {
    return List.of(
        c("segment in", segment("seg-us", "in")),
        c("segment not_in", segment("seg-us", "not_in")),
        c("segment in, referring to another segment", segment("seg-active-us", "in")),
        c("segment not_in, referring to another segment", segment("seg-active-us", "not_in")),
        c("segment in, three levels of references", segment("seg-not-active-us", "in")),
        c(
            "segment referred to twice (not a cycle)",
            and(segment("seg-active-us", "in"), segment("seg-us", "in"))),
        c("segments composed", or(segment("seg-pro", "in"), not(segment("seg-active-us", "in")))),
        trivial(
            "segment in and not_in", and(segment("seg-us", "in"), segment("seg-us", "not_in"))));
  }

  List<Case> compositionCases() {
    Map<String, Object> deep = attr("country", "equals", "US");
    for (int i = 0; i < 11; i++) {
      deep = i % 2 == 0 ? not(deep) : and(deep);
    }
    return List.of(
        trivial("and of nothing matches everybody", and()),
        trivial("or of nothing matches nobody", or()),
        trivial("not and of nothing", not(and())),
        trivial("not or of nothing", not(or())),
        c("and of one", and(attr("country", "equals", "US"))),
        c("or of one", or(custom("vip", "is_true"))),
        c(
            "and of three families",
            and(
                attr("country", "equals", "US"),
                custom("plan", "equals", "pro"),
                event("app_open", "performed", null, 30, null))),
        c(
            "or of three families",
            or(
                attr("country", "equals", "FR"),
                custom("vip", "is_true"),
                purchase("sku-0005", "purchased", null, null))),
        c("not of or", not(or(attr("country", "equals", "US"), attr("country", "equals", "CA")))),
        c("not of a not_ operator", not(custom("plan", "not_equals", "pro"))),
        c(
            "de Morgan: not of and",
            not(and(custom("vip", "is_true"), attr("language", "equals", "en")))),
        c(
            "de Morgan: or of nots",
            or(not(custom("vip", "is_true")), not(attr("language", "equals", "en")))),
        c(
            "nested and/or/not",
            and(
                not(purchase("*", "purchased", null, 90)),
                or(custom("score", "greater_than", 50), custom("vip", "is_true")),
                group("sg-newsletter", "unsubscribed"))),
        c(
            "the whole filter of docs/segments.md",
            and(
                attr("country", "in", List.of("US", "CA")),
                custom("plan", "equals", "pro"),
                event("watched_trailer", "count_greater_than_or_equal", 2, 90, null),
                not(purchase("*", "purchased", null, 90)))),
        c("eleven levels deep", deep));
  }
}
