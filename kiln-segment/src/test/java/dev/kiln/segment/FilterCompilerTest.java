package dev.kiln.segment;

import static dev.kiln.segment.FilterJson.array;
import static dev.kiln.segment.FilterJson.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What {@link FilterCompiler} writes for each predicate family of docs/segments.md, through the
 * readable {@link NotationDialect}: a change to compilation shows here without a database. Whether
 * the SQL selects the right users on each real database is ITSegmentQueries' question
 * (kiln-storage-tests).
 */
class FilterCompilerTest {
  /** The time of the query: relative dates are fixed at it. */
  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

  private static final Map<String, Object> COUNTRY_US =
      node("attribute", "country", "op", "equals", "value", "US");

  private static CompiledFilter compile(Object json, SegmentResolver segments) {
    return FilterCompiler.compile(FilterParser.parse(json), new NotationDialect(), segments, NOW);
  }

  /**
   * The filter compiles to {@code sql} (a text block's lines joined by single spaces) with these
   * parameters.
   */
  private static void assertCompiles(Object json, String sql, Object... parameters) {
    assertCompiles(json, SegmentResolver.NONE, sql, parameters);
  }

  private static void assertCompiles(
      Object json, SegmentResolver segments, String sql, Object... parameters) {
    CompiledFilter compiled = compile(json, segments);
    assertThat(compiled.sql()).isEqualTo(sql.strip().replaceAll("\\s*\\n\\s*", " "));
    assertThat(compiled.parameters()).containsExactly(parameters);
  }

  private static void assertRefused(Object json, SegmentResolver segments, String message) {
    assertThatThrownBy(() -> compile(json, segments))
        .isInstanceOf(FilterException.class)
        .hasMessage(message);
  }

  /** A time as the raw event and purchase rows and {@code users.created_at} keep it. */
  private static long millis(String time) {
    return Instant.parse(time).toEpochMilli();
  }

  private static SegmentResolver segments(Map<String, Object> filtersById) {
    return id -> Optional.ofNullable(filtersById.get(id)).map(FilterParser::parse);
  }

  private static List<Object> copies(int count, Object json) {
    return new ArrayList<>(Collections.nCopies(count, json));
  }

  @Nested
  class StandardAttributes {
    @Test
    void textFieldsOfTheProfileDocumentAreTypedBeforeTheyAreCompared() {
      assertCompiles(
          COUNTRY_US,
          """
          is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?""",
          "US");
      assertCompiles(
          node("attribute", "language", "op", "in", "value", array("en", "fr")),
          """
          is_text(u.profile.attributes.language) AND text(u.profile.attributes.language) IN ((?), (?))""",
          "en",
          "fr");
    }

    /**
     * docs/segments.md: not_equals also matches users without the attribute, so it is the negation.
     */
    @Test
    void notEqualsIsTheNegationOfEquals() {
      assertCompiles(
          node("attribute", "country", "op", "not_equals", "value", "US"),
          """
          NOT (is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?)""",
          "US");
    }

    @Test
    void blankIsMissingOrOnlySpaces() {
      assertCompiles(
          node("attribute", "first_name", "op", "blank"),
          """
          NOT (present(u.profile.attributes.first_name))
          OR (is_text(u.profile.attributes.first_name) AND TRIM(text(u.profile.attributes.first_name)) = '')""");
    }

    @Test
    void identifiersAreColumnsOfUsers() {
      assertCompiles(
          node("attribute", "email", "op", "matches_regex", "value", "@example\\.com$"),
          """
          u.email IS NOT NULL AND u.email REGEXP ?""",
          "@example\\.com$");
      assertCompiles(
          node("attribute", "email", "op", "does_not_match_regex", "value", "@example\\.com$"),
          """
          NOT (u.email IS NOT NULL AND u.email REGEXP ?)""",
          "@example\\.com$");
      assertCompiles(node("attribute", "phone", "op", "exists"), "u.phone IS NOT NULL");
      assertCompiles(
          node("attribute", "external_id", "op", "not_exists"), "NOT (u.external_id IS NOT NULL)");
    }

    @Test
    void numbers() {
      assertCompiles(
          node("attribute", "random_bucket", "op", "less_than", "value", 1000),
          """
          u.random_bucket IS NOT NULL AND u.random_bucket < ?""",
          new BigDecimal("1000"));
      assertCompiles(
          node("attribute", "total_revenue", "op", "greater_than_or_equal", "value", 100),
          """
          is_number(u.profile.total_revenue) AND number(u.profile.total_revenue) >= ?""",
          new BigDecimal("100"));
    }

    /**
     * created_at is a column of epoch milliseconds; "less than 7 days ago" is after then and not in
     * the future.
     */
    @Test
    void createdAtComparesEpochMilliseconds() {
      assertCompiles(
          node("attribute", "created_at", "op", "less_than_days_ago", "value", 7),
          """
          u.created_at IS NOT NULL AND u.created_at > ? AND u.created_at <= ?""",
          millis("2026-03-08T12:00:00Z"),
          NOW.toEpochMilli());
    }

    @Test
    void dobComparesDays() {
      assertCompiles(
          node("attribute", "dob", "op", "before", "value", "2000-01-01"),
          """
          is_text(u.profile.attributes.dob) AND text(u.profile.attributes.dob) < ?""",
          "2000-01-01");
    }

    /**
     * Age in whole years through dates of birth: 18 to 34 is born on or before 18 years ago and
     * after 35 years ago.
     */
    @Test
    void ageComparesDatesOfBirth() {
      assertCompiles(
          node("attribute", "age", "op", "between", "value", array(18, 34)),
          """
          is_text(u.profile.attributes.dob) AND text(u.profile.attributes.dob) <= ?
          AND is_text(u.profile.attributes.dob) AND text(u.profile.attributes.dob) > ?""",
          "2008-03-15",
          "1991-03-15");
      assertCompiles(
          node("attribute", "age", "op", "greater_than", "value", 30),
          """
          is_text(u.profile.attributes.dob) AND text(u.profile.attributes.dob) <= ?""",
          "1995-03-15");
      assertCompiles(node("attribute", "age", "op", "equals", "value", 30.5), "FALSE");
    }

    @Test
    void aliasLabelsAreRowsOfUserAliases() {
      assertCompiles(
          node("attribute", "alias_label", "op", "equals", "value", "amplitude_id"),
          """
          EXISTS (SELECT 1 FROM user_aliases a WHERE a.user_id = u.user_id AND (1 = 1 AND a.alias_label = ?))""",
          "amplitude_id");
      assertCompiles(
          node("attribute", "alias_label", "op", "not_equals", "value", "amplitude_id"),
          """
          NOT (EXISTS (SELECT 1 FROM user_aliases a WHERE a.user_id = u.user_id AND (1 = 1 AND a.alias_label = ?)))""",
          "amplitude_id");
      assertCompiles(
          node("attribute", "alias_label", "op", "exists"),
          """
          EXISTS (SELECT 1 FROM user_aliases a WHERE a.user_id = u.user_id)""");
    }
  }

  @Nested
  class CustomAttributes {
    @Test
    void numbers() {
      assertCompiles(
          node("custom_attribute", "score", "op", "not_equals", "value", 42),
          """
          NOT (is_number(u.profile.custom_attributes.score) AND number(u.profile.custom_attributes.score) = ?)""",
          new BigDecimal("42"));
      assertCompiles(
          node("custom_attribute", "score", "op", "between", "value", array(10, 20)),
          """
          is_number(u.profile.custom_attributes.score) AND number(u.profile.custom_attributes.score) BETWEEN ? AND ?""",
          new BigDecimal("10"),
          new BigDecimal("20"));
    }

    @Test
    void booleans() {
      assertCompiles(
          node("custom_attribute", "vip", "op", "is_false"),
          "is_false(u.profile.custom_attributes.vip)");
      assertCompiles(
          node("custom_attribute", "vip", "op", "is_true_or_not_set"),
          """
          NOT (present(u.profile.custom_attributes.vip)) OR is_true(u.profile.custom_attributes.vip)""");
    }

    /** Times are {"$time": ISO text} in the document, compared as fixed-width text. */
    @Test
    void datesCompareTheTextOfTimes() {
      assertCompiles(
          node("custom_attribute", "last_seen_at", "op", "after", "value", "2026-01-01T00:00:00Z"),
          """
          is_text(u.profile.custom_attributes.last_seen_at.$time)
          AND text(u.profile.custom_attributes.last_seen_at.$time) > ?""",
          "2026-01-01T00:00:00.000Z");
      assertCompiles(
          node("custom_attribute", "last_seen_at", "op", "more_than_days_ago", "value", 30),
          """
          is_text(u.profile.custom_attributes.last_seen_at.$time)
          AND text(u.profile.custom_attributes.last_seen_at.$time) < ?""",
          "2026-02-13T12:00:00.000Z");
      assertCompiles(
          node("custom_attribute", "renews_at", "op", "in_less_than_days", "value", 7),
          """
          is_text(u.profile.custom_attributes.renews_at.$time)
          AND text(u.profile.custom_attributes.renews_at.$time) >= ?
          AND text(u.profile.custom_attributes.renews_at.$time) < ?""",
          "2026-03-15T12:00:00.000Z",
          "2026-03-22T12:00:00.000Z");
      assertCompiles(
          node("custom_attribute", "renews_at", "op", "in_more_than_days", "value", 30),
          """
          is_text(u.profile.custom_attributes.renews_at.$time)
          AND text(u.profile.custom_attributes.renews_at.$time) > ?""",
          "2026-04-14T12:00:00.000Z");
    }

    /**
     * An element equals the value in JSON type too: text to text, number to number, true to true.
     */
    @Test
    void arrayIncludesComparesElementsOfTheValuesType() {
      assertCompiles(
          node("custom_attribute", "genres", "op", "includes", "value", "comedy"),
          """
          is_array(u.profile.custom_attributes.genres)
          AND any_element(u.profile.custom_attributes.genres: is_text(element) AND text(element) = ?)""",
          "comedy");
      assertCompiles(
          node("custom_attribute", "genres", "op", "includes", "value", 7),
          """
          is_array(u.profile.custom_attributes.genres)
          AND any_element(u.profile.custom_attributes.genres: is_number(element) AND number(element) = ?)""",
          new BigDecimal("7"));
      assertCompiles(
          node("custom_attribute", "genres", "op", "includes", "value", true),
          """
          is_array(u.profile.custom_attributes.genres) AND any_element(u.profile.custom_attributes.genres: is_true(element))""");
      assertCompiles(
          node("custom_attribute", "genres", "op", "does_not_include", "value", "horror"),
          """
          NOT (is_array(u.profile.custom_attributes.genres)
          AND any_element(u.profile.custom_attributes.genres: is_text(element) AND text(element) = ?))""",
          "horror");
    }

    @Test
    void arrayRegexAndSize() {
      assertCompiles(
          node("custom_attribute", "genres", "op", "includes_matching_regex", "value", "^sci"),
          """
          is_array(u.profile.custom_attributes.genres)
          AND any_element(u.profile.custom_attributes.genres: is_text(element) AND text(element) REGEXP ?)""",
          "^sci");
      assertCompiles(
          node("custom_attribute", "genres", "op", "size_greater_than", "value", 2),
          """
          is_array(u.profile.custom_attributes.genres) AND length(u.profile.custom_attributes.genres) > ?""",
          2L);
    }

    @Test
    void pathsReachInsideNestedObjects() {
      assertCompiles(
          node(
              "custom_attribute",
              "address",
              "path",
              array("city"),
              "op",
              "equals",
              "value",
              "Paris"),
          """
          is_text(u.profile.custom_attributes.address.city) AND text(u.profile.custom_attributes.address.city) = ?""",
          "Paris");
      assertCompiles(
          node("custom_attribute", "plan", "op", "exists"),
          "present(u.profile.custom_attributes.plan)");
    }

    @Test
    void aKeyTheStoreCannotAddressIsRefusedClearly() {
      String refusal =
          "filter: 'say\"hi' cannot be filtered on in this store: it holds a quote or backslash";
      assertRefused(
          node("custom_attribute", "say\"hi", "op", "exists"), SegmentResolver.NONE, refusal);
      assertRefused(
          node("custom_attribute", "address", "path", array("say\"hi"), "op", "exists"),
          SegmentResolver.NONE,
          refusal);
      assertRefused(
          node(
              "custom_event",
              "played",
              "op",
              "performed",
              "in_last_days",
              7,
              "property",
              node("name", "say\"hi", "op", "exists")),
          SegmentResolver.NONE,
          refusal);
    }
  }

  @Nested
  class Events {
    @Test
    void performedReadsTheRawRowsOfTheEvent() {
      assertCompiles(
          node("custom_event", "watched_trailer", "op", "performed"),
          """
          EXISTS (SELECT 1 FROM custom_events e WHERE e.user_id = u.user_id AND e.name = ?)""",
          "watched_trailer");
    }

    @Test
    void aWindowKeepsTheRowsOfItsLastDays() {
      assertCompiles(
          node("custom_event", "watched_trailer", "op", "not_performed", "in_last_days", 30),
          """
          NOT (EXISTS (SELECT 1 FROM custom_events e WHERE e.user_id = u.user_id AND e.name = ? AND e.time >= ?))""",
          "watched_trailer",
          millis("2026-02-13T12:00:00Z"));
      assertCompiles(
          node(
              "custom_event",
              "watched_trailer",
              "op",
              "count_greater_than_or_equal",
              "value",
              2,
              "in_last_days",
              30),
          """
          (SELECT COUNT(*) FROM custom_events e WHERE e.user_id = u.user_id AND e.name = ? AND e.time >= ?) >= ?""",
          "watched_trailer",
          millis("2026-02-13T12:00:00Z"),
          2L);
    }

    @Test
    void firstAndLastAreTheEarliestAndLatestRow() {
      assertCompiles(
          node(
              "custom_event",
              "watched_trailer",
              "op",
              "first_performed_before",
              "value",
              "2026-01-01"),
          """
          (SELECT MIN(e.time) FROM custom_events e WHERE e.user_id = u.user_id AND e.name = ?) < ?""",
          "watched_trailer",
          millis("2026-01-01T00:00:00Z"));
      assertCompiles(
          node(
              "custom_event",
              "watched_trailer",
              "op",
              "last_performed_less_than_days_ago",
              "value",
              7),
          """
          (SELECT MAX(e.time) FROM custom_events e WHERE e.user_id = u.user_id AND e.name = ?) > ?""",
          "watched_trailer",
          millis("2026-03-08T12:00:00Z"));
    }

    @Test
    void aPropertyConditionKeepsTheRowsWhosePropertyMatches() {
      assertCompiles(
          node(
              "custom_event",
              "played_song",
              "op",
              "performed",
              "in_last_days",
              7,
              "property",
              node("name", "source", "op", "equals", "value", "ios")),
          """
          EXISTS (SELECT 1 FROM custom_events e WHERE e.user_id = u.user_id AND e.name = ? AND e.time >= ?
          AND (is_text(e.properties.source) AND text(e.properties.source) = ?))""",
          "played_song",
          millis("2026-03-08T12:00:00Z"),
          "ios");
    }
  }

  @Nested
  class Purchases {
    @Test
    void aProductOrAnyProduct() {
      assertCompiles(
          node("purchased_product", "sku-0001", "op", "purchased"),
          """
          EXISTS (SELECT 1 FROM purchases p WHERE p.user_id = u.user_id AND p.product_id = ?)""",
          "sku-0001");
      assertCompiles(
          node("purchased_product", "*", "op", "last_purchased_more_than_days_ago", "value", 60),
          """
          (SELECT MAX(p.time) FROM purchases p WHERE p.user_id = u.user_id) < ?""",
          millis("2026-01-14T12:00:00Z"));
    }

    /** A purchase of quantity n counts n times. */
    @Test
    void countsSumQuantities() {
      assertCompiles(
          node(
              "purchased_product", "*", "op", "count_greater_than", "value", 3, "in_last_days", 90),
          """
          (SELECT COALESCE(SUM(p.quantity), 0) FROM purchases p WHERE p.user_id = u.user_id AND p.time >= ?) > ?""",
          millis("2025-12-15T12:00:00Z"),
          3L);
    }

    @Test
    void revenueSumsPriceTimesQuantity() {
      assertCompiles(
          node(
              "purchased_product",
              "*",
              "op",
              "revenue_greater_than_or_equal",
              "value",
              100,
              "in_last_days",
              30),
          """
          (SELECT COALESCE(SUM(p.price * p.quantity), 0) FROM purchases p WHERE p.user_id = u.user_id AND p.time >= ?)
          >= ?""",
          millis("2026-02-13T12:00:00Z"),
          new BigDecimal("100"));
    }
  }

  @Nested
  class SubscriptionsAndSegments {
    /** docs/segments.md: unsubscribed also matches users who never had a state in the group. */
    @Test
    void subscriptionGroups() {
      assertCompiles(
          node("subscription_group", "g1", "op", "subscribed"),
          """
          is_text(u.profile.attributes.subscription_groups.g1)
          AND text(u.profile.attributes.subscription_groups.g1) = ?""",
          "subscribed");
      assertCompiles(
          node("subscription_group", "g1", "op", "unsubscribed"),
          """
          NOT (is_text(u.profile.attributes.subscription_groups.g1)
          AND text(u.profile.attributes.subscription_groups.g1) = ?)""",
          "subscribed");
    }

    @Test
    void aReferenceInlinesTheOtherSegmentsFilter() {
      SegmentResolver segments = segments(Map.of("s1", COUNTRY_US));
      assertCompiles(
          node("segment", "s1", "op", "in"),
          segments,
          """
          is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?""",
          "US");
      assertCompiles(
          node("segment", "s1", "op", "not_in"),
          segments,
          """
          NOT (is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?)""",
          "US");
    }

    @Test
    void aMissingOrSelfReferringSegmentIsRefused() {
      assertRefused(
          node("segment", "gone", "op", "in"),
          SegmentResolver.NONE,
          "filter: segment 'gone' does not exist or is archived");
      SegmentResolver loop =
          segments(
              Map.of(
                  "a",
                  node("segment", "b", "op", "in"),
                  "b",
                  node("segment", "a", "op", "not_in")));
      assertRefused(
          node("segment", "a", "op", "in"),
          loop,
          "filter: segment 'a' refers to itself through other segments");
    }

    /** The same segment twice, side by side, is no loop. */
    @Test
    void aSegmentReferredToTwiceIsInlinedTwice() {
      assertCompiles(
          node("and", array(node("segment", "s1", "op", "in"), node("segment", "s1", "op", "in"))),
          segments(Map.of("s1", COUNTRY_US)),
          """
          ((is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?)
          AND (is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?))""",
          "US",
          "US");
    }
  }

  @Nested
  class Logic {
    @Test
    void emptyAndIsTrueEmptyOrIsFalse() {
      assertCompiles(node("and", array()), "TRUE");
      assertCompiles(node("or", array()), "FALSE");
    }

    /** docs/segments.md "A whole filter". */
    @Test
    void nestedAndOrNot() {
      assertCompiles(
          node(
              "and",
              array(
                  node("attribute", "country", "op", "in", "value", array("US", "CA")),
                  node(
                      "or",
                      array(
                          node("custom_attribute", "plan", "op", "equals", "value", "pro"),
                          node("custom_attribute", "vip", "op", "is_true"))),
                  node(
                      "not",
                      node("purchased_product", "*", "op", "purchased", "in_last_days", 90)))),
          """
          ((is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) IN ((?), (?)))
          AND ((((is_text(u.profile.custom_attributes.plan) AND text(u.profile.custom_attributes.plan) = ?)
          OR (is_true(u.profile.custom_attributes.vip))))
          AND (NOT (EXISTS (SELECT 1 FROM purchases p WHERE p.user_id = u.user_id AND p.time >= ?)))))""",
          "US",
          "CA",
          "pro",
          millis("2025-12-15T12:00:00Z"));
    }

    /**
     * Lists are balanced trees of halves, so a long one nests log2(n) deep, within SQLite's bound
     * of 1,000.
     */
    @Test
    void longListsAreBalancedTrees() {
      List<Object> five = new ArrayList<>();
      for (String country : List.of("A", "B", "C", "D", "E")) {
        five.add(node("attribute", "country", "op", "equals", "value", country));
      }
      assertCompiles(
          node("or", five),
          """
          (((is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?)
          OR (is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?))
          OR ((is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?)
          OR ((is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?)
          OR (is_text(u.profile.attributes.country) AND text(u.profile.attributes.country) = ?))))""",
          "A",
          "B",
          "C",
          "D",
          "E");

      String eightHundred =
          compile(node("and", copies(800, COUNTRY_US)), SegmentResolver.NONE).sql();
      assertThat(deepestParenthesis(eightHundred))
          .isEqualTo(12); // 10 halvings, a leaf's own and is_text's, not 800
    }

    /** The dialect binds each parameter its own way (SQLite compares numbers as doubles). */
    @Test
    void parametersAreBoundAsTheDialectSays() {
      SqlDialect doubles =
          new NotationDialect() {
            @Override
            public Object parameter(Object value) {
              return value instanceof BigDecimal number ? number.doubleValue() : value;
            }
          };
      CompiledFilter compiled =
          FilterCompiler.compile(
              FilterParser.parse(
                  node(
                      "and",
                      array(
                          COUNTRY_US,
                          node(
                              "custom_attribute",
                              "score",
                              "op",
                              "between",
                              "value",
                              array(10, 20.5))))),
              doubles,
              SegmentResolver.NONE,
              NOW);

      assertThat(compiled.parameters()).containsExactly("US", 10.0, 20.5);
    }

    private static int deepestParenthesis(String sql) {
      int depth = 0;
      int deepest = 0;
      for (char c : sql.toCharArray()) {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        deepest = Math.max(deepest, depth);
      }
      return deepest;
    }
  }

  @Nested
  class Limits {
    private static final String TOO_COSTLY =
        "filter: holds more than 50 regular expressions and event or purchase "
            + "conditions, counting the segments it refers to; each is evaluated for every user";
    private final Map<String, Object> regex =
        node("attribute", "email", "op", "matches_regex", "value", "x");
    private final Map<String, Object> event = node("custom_event", "played", "op", "performed");

    @Test
    void fiftyCostlyPredicatesCompileAndOneMoreIsRefused() {
      List<Object> fifty = copies(25, regex);
      fifty.addAll(copies(25, event));
      assertThat(compile(node("or", fifty), SegmentResolver.NONE).parameters()).hasSize(50);

      fifty.add(node("purchased_product", "*", "op", "purchased"));
      assertRefused(node("or", fifty), SegmentResolver.NONE, TOO_COSTLY);
    }

    /** A regex inside an array condition is as costly as one on a text. */
    @Test
    void arrayRegexesCountToo() {
      assertRefused(
          node(
              "or",
              copies(
                  51,
                  node("custom_attribute", "tags", "op", "includes_matching_regex", "value", "x"))),
          SegmentResolver.NONE,
          TOO_COSTLY);
    }

    @Test
    void theCostlyPredicatesOfReferredSegmentsCount() {
      SegmentResolver segments = segments(Map.of("events", node("or", copies(30, event))));
      assertThat(compile(node("segment", "events", "op", "in"), segments).parameters()).hasSize(30);
      assertRefused(
          node(
              "and",
              array(
                  node("segment", "events", "op", "in"),
                  node("segment", "events", "op", "not_in"))),
          segments,
          TOO_COSTLY);
    }

    @Test
    void atMostOneHundredSegmentReferences() {
      SegmentResolver segments = segments(Map.of("s1", COUNTRY_US));
      assertThat(
              compile(node("or", copies(100, node("segment", "s1", "op", "in"))), segments)
                  .parameters())
          .hasSize(100);
      assertRefused(
          node("or", copies(101, node("segment", "s1", "op", "in"))),
          segments,
          "filter: refers to segments more than 100 times, counting the segments they refer to");
    }
  }
}
