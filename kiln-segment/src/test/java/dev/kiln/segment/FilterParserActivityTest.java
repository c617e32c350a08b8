package dev.kiln.segment;

import static dev.kiln.segment.FilterJson.JAN_31;
import static dev.kiln.segment.FilterJson.allowedNames;
import static dev.kiln.segment.FilterJson.array;
import static dev.kiln.segment.FilterJson.assertRejected;
import static dev.kiln.segment.FilterJson.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Custom events, purchases, subscription groups and segment references in the filter language of
 * docs/segments.md.
 */
class FilterParserActivityTest {
  @Nested
  class CustomEvents {
    private Map<String, Object> event(Object... rest) {
      Object[] all = new Object[rest.length + 2];
      all[0] = "custom_event";
      all[1] = "watched";
      System.arraycopy(rest, 0, all, 2, rest.length);
      return node(all);
    }

    @Test
    void performed() {
      assertThat(FilterParser.parse(event("op", "performed")))
          .isEqualTo(
              new Filter.Activity(false, "watched", ActivityOperator.DONE, null, null, null));
    }

    @Test
    void notPerformedInAWindow() {
      assertThat(FilterParser.parse(event("op", "not_performed", "in_last_days", 30)))
          .isEqualTo(
              new Filter.Activity(false, "watched", ActivityOperator.NOT_DONE, null, 30, null));
    }

    @Test
    void anEventNamedStarIsNotAWildcard() {
      assertThat(
              ((Filter.Activity) FilterParser.parse(node("custom_event", "*", "op", "performed")))
                  .subject())
          .isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "count_equals",
          "count_greater_than",
          "count_greater_than_or_equal",
          "count_less_than",
          "count_less_than_or_equal"
        })
    void countOperatorsWithAWindow(String op) {
      Filter.Activity parsed =
          (Filter.Activity) FilterParser.parse(event("op", op, "value", 2, "in_last_days", 7));
      assertThat(parsed.op().jsonName("performed")).isEqualTo(op);
      assertThat(parsed.value()).isEqualTo(2L);
      assertThat(parsed.inLastDays()).isEqualTo(7);
      assertThat(parsed.purchase()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"count_equals", "count_less_than"})
    void countOperatorsAllTime(String op) {
      Filter.Activity parsed = (Filter.Activity) FilterParser.parse(event("op", op, "value", 0));
      assertThat(parsed.value()).isEqualTo(0L);
      assertThat(parsed.inLastDays()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 30, 3650})
    void windowFromOneTo3650Days(int days) {
      assertThat(
              ((Filter.Activity) FilterParser.parse(event("op", "performed", "in_last_days", days)))
                  .inLastDays())
          .isEqualTo(days);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3651})
    void windowOutOfRange(int days) {
      assertRejected(
              event("op", "count_greater_than", "value", 1, "in_last_days", days),
              "filter.in_last_days")
          .hasMessageContaining("1 to 3650");
    }

    @Test
    void windowMustBeAWholeNumber() {
      assertRejected(event("op", "performed", "in_last_days", 1.5), "filter.in_last_days");
      assertRejected(event("op", "performed", "in_last_days", "30"), "filter.in_last_days");
    }

    @Test
    void countNeedsAWholeNonNegativeValue() {
      assertRejected(event("op", "count_greater_than", "value", -1), "filter.value");
      assertRejected(event("op", "count_greater_than", "value", 1.5), "filter.value");
      assertRejected(event("op", "count_equals"), "filter.value");
    }

    @Test
    void performedTakesNoValue() {
      assertRejected(event("op", "performed", "value", 1), "filter.value")
          .hasMessageContaining("takes no value");
    }

    @ParameterizedTest
    @MethodSource("dev.kiln.segment.FilterParserActivityTest#firstAndLastOperators")
    void firstAndLastOperators(
        String op, Object value, ActivityOperator expectedOp, Object expected) {
      assertThat(FilterParser.parse(event("op", op, "value", value)))
          .isEqualTo(new Filter.Activity(false, "watched", expectedOp, expected, null, null));
    }

    @Test
    void firstAndLastValuesAreChecked() {
      assertRejected(event("op", "first_performed_before", "value", "yesterday"), "filter.value")
          .hasMessageContaining("not a date or time");
      assertRejected(event("op", "last_performed_more_than_days_ago", "value", -1), "filter.value");
      assertRejected(
          event("op", "last_performed_less_than_days_ago", "value", 2.5), "filter.value");
    }

    @Test
    void windowIsRejectedOnLastPerformedBefore() {
      assertRejected(
              event("op", "last_performed_before", "value", "2026-01-31", "in_last_days", 7),
              "filter.in_last_days")
          .hasMessageContaining("take a window");
    }

    @Test
    void windowIsRejectedOnDaysAgoOperators() {
      assertRejected(
          event("op", "first_performed_more_than_days_ago", "value", 3, "in_last_days", 7),
          "filter.in_last_days");
    }

    @Test
    void propertyWithAWindow() {
      Filter parsed =
          FilterParser.parse(
              event(
                  "op",
                  "count_greater_than",
                  "value",
                  1,
                  "in_last_days",
                  30,
                  "property",
                  node("name", "genre", "op", "equals", "value", "drama")));
      assertThat(parsed)
          .isEqualTo(
              new Filter.Activity(
                  false,
                  "watched",
                  ActivityOperator.COUNT_GREATER_THAN,
                  1L,
                  30,
                  new Filter.PropertyCondition(
                      "genre", new Condition(ValueType.TEXT, Operator.EQUALS, "drama"))));
    }

    @Test
    void numberPropertyWithAWindow() {
      Filter.Activity parsed =
          (Filter.Activity)
              FilterParser.parse(
                  event(
                      "op",
                      "performed",
                      "in_last_days",
                      7,
                      "property",
                      node("name", "minutes", "op", "greater_than", "value", 10)));
      assertThat(parsed.property())
          .isEqualTo(
              new Filter.PropertyCondition(
                  "minutes",
                  new Condition(ValueType.NUMBER, Operator.GREATER_THAN, new BigDecimal("10"))));
    }

    @Test
    void textPropertyOperators() {
      Filter.Activity in =
          (Filter.Activity)
              FilterParser.parse(
                  event(
                      "op",
                      "performed",
                      "in_last_days",
                      7,
                      "property",
                      node("name", "genre", "op", "in", "value", array("drama", "comedy"))));
      assertThat(in.property().condition())
          .isEqualTo(new Condition(ValueType.TEXT, Operator.IN, List.of("drama", "comedy")));
      Filter.Activity exists =
          (Filter.Activity)
              FilterParser.parse(
                  event(
                      "op",
                      "performed",
                      "in_last_days",
                      7,
                      "property",
                      node("name", "genre", "op", "exists")));
      assertThat(exists.property().condition().op()).isEqualTo(Operator.EXISTS);
    }

    /**
     * docs/segments.md "Custom events": a property filter takes text and number operators, between
     * included.
     */
    @Test
    void betweenOnAPropertyComparesAsNumbers() {
      Filter.Activity parsed =
          (Filter.Activity)
              FilterParser.parse(
                  event(
                      "op",
                      "performed",
                      "in_last_days",
                      7,
                      "property",
                      node("name", "minutes", "op", "between", "value", array(1, 5))));
      assertThat(parsed.property().condition())
          .isEqualTo(
              new Condition(
                  ValueType.NUMBER,
                  Operator.BETWEEN,
                  new Condition.NumberRange(new BigDecimal("1"), new BigDecimal("5"))));
    }

    /** docs/segments.md: a property's not_equals takes a string or a number, as equals does. */
    @Test
    void notEqualsOnAPropertyNeedsAStringOrANumber() {
      assertRejected(
          event(
              "op",
              "performed",
              "in_last_days",
              7,
              "property",
              node("name", "vip", "op", "not_equals", "value", true)),
          "filter.property.value");
    }

    @Test
    void propertyWithoutAWindowIsRejected() {
      assertRejected(
              event(
                  "op",
                  "performed",
                  "property",
                  node("name", "genre", "op", "equals", "value", "drama")),
              "filter.property")
          .hasMessageContaining("needs in_last_days");
    }

    @Test
    void propertyChecksItsOwnParts() {
      assertRejected(
              event("op", "performed", "in_last_days", 7, "property", "genre"), "filter.property")
          .hasMessageContaining("must be an object");
      assertRejected(
          event("op", "performed", "in_last_days", 7, "property", node("op", "exists")),
          "filter.property.name");
      assertRejected(
          event(
              "op",
              "performed",
              "in_last_days",
              7,
              "property",
              node("name", "genre", "op", "is_true")),
          "filter.property.op");
      assertRejected(
          event(
              "op",
              "performed",
              "in_last_days",
              7,
              "property",
              node("name", "genre", "op", "before", "value", "2026-01-31")),
          "filter.property.op");
      assertRejected(
          event(
              "op",
              "performed",
              "in_last_days",
              7,
              "property",
              node("name", "genre", "op", "equals", "value", true)),
          "filter.property.value");
      assertRejected(
          event(
              "op",
              "performed",
              "in_last_days",
              7,
              "property",
              node("name", "genre", "op", "in", "value", array())),
          "filter.property.value");
    }

    @Test
    void revenueOperatorsAreForPurchasesOnly() {
      Map<String, Object> json = event("op", "revenue_greater_than", "value", 10);
      assertRejected(json, "filter.op")
          .hasMessageContaining("'revenue_greater_than' is not an operator of custom_event");
      assertThat(allowedNames(json))
          .contains(
              "performed",
              "not_performed",
              "count_equals",
              "first_performed_before",
              "last_performed_less_than_days_ago")
          .noneMatch(name -> name.startsWith("revenue_"));
    }

    @Test
    void purchaseVerbsAreRejectedForEvents() {
      assertRejected(event("op", "purchased"), "filter.op").hasMessageContaining("'purchased'");
      assertRejected(event("op", "last_purchased_before", "value", "2026-01-31"), "filter.op");
    }

    @Test
    void attributeOperatorsAreRejectedForEvents() {
      assertRejected(event("op", "equals", "value", "x"), "filter.op");
    }

    @Test
    void eventNameMustBeANonEmptyString() {
      assertRejected(node("custom_event", "", "op", "performed"), "filter.custom_event");
      assertRejected(node("custom_event", null, "op", "performed"), "filter.custom_event");
    }
  }

  static Stream<Arguments> firstAndLastOperators() {
    return Stream.of(
        Arguments.of("first_performed_before", "2026-01-31", ActivityOperator.FIRST_BEFORE, JAN_31),
        Arguments.of("first_performed_after", "2026-01-31", ActivityOperator.FIRST_AFTER, JAN_31),
        Arguments.of("last_performed_before", "2026-01-31", ActivityOperator.LAST_BEFORE, JAN_31),
        Arguments.of(
            "last_performed_after", "2026-01-31T00:00:00Z", ActivityOperator.LAST_AFTER, JAN_31),
        Arguments.of(
            "first_performed_more_than_days_ago",
            10,
            ActivityOperator.FIRST_MORE_THAN_DAYS_AGO,
            10),
        Arguments.of(
            "first_performed_less_than_days_ago",
            10,
            ActivityOperator.FIRST_LESS_THAN_DAYS_AGO,
            10),
        Arguments.of(
            "last_performed_more_than_days_ago", 0, ActivityOperator.LAST_MORE_THAN_DAYS_AGO, 0),
        Arguments.of(
            "last_performed_less_than_days_ago",
            365,
            ActivityOperator.LAST_LESS_THAN_DAYS_AGO,
            365));
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class Purchases {
    @Test
    void purchasedAProduct() {
      assertThat(FilterParser.parse(node("purchased_product", "sku-1", "op", "purchased")))
          .isEqualTo(new Filter.Activity(true, "sku-1", ActivityOperator.DONE, null, null, null));
    }

    @Test
    void anyProductHasNoSubject() {
      assertThat(FilterParser.parse(node("purchased_product", "*", "op", "purchased")))
          .isEqualTo(new Filter.Activity(true, null, ActivityOperator.DONE, null, null, null));
    }

    @Test
    void notPurchased() {
      assertThat(
              FilterParser.parse(
                  node("purchased_product", "*", "op", "not_purchased", "in_last_days", 90)))
          .isEqualTo(new Filter.Activity(true, null, ActivityOperator.NOT_DONE, null, 90, null));
    }

    @Test
    void countGreaterThan() {
      assertThat(
              FilterParser.parse(
                  node("purchased_product", "sku-1", "op", "count_greater_than", "value", 3)))
          .isEqualTo(
              new Filter.Activity(
                  true, "sku-1", ActivityOperator.COUNT_GREATER_THAN, 3L, null, null));
    }

    @Test
    void revenueInAWindow() {
      assertThat(
              FilterParser.parse(
                  node(
                      "purchased_product",
                      "*",
                      "op",
                      "revenue_greater_than_or_equal",
                      "value",
                      9.99,
                      "in_last_days",
                      30)))
          .isEqualTo(
              new Filter.Activity(
                  true,
                  null,
                  ActivityOperator.REVENUE_GREATER_THAN_OR_EQUAL,
                  new BigDecimal("9.99"),
                  30,
                  null));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "revenue_greater_than",
          "revenue_greater_than_or_equal",
          "revenue_less_than",
          "revenue_less_than_or_equal"
        })
    void everyRevenueOperator(String op) {
      Filter.Activity parsed =
          (Filter.Activity)
              FilterParser.parse(node("purchased_product", "sku-1", "op", op, "value", 100));
      assertThat(parsed.op().jsonName("purchased")).isEqualTo(op);
      assertThat(parsed.op().isRevenue()).isTrue();
      assertThat(parsed.value()).isEqualTo(new BigDecimal("100"));
    }

    @Test
    void revenueNeedsANumber() {
      assertRejected(
              node("purchased_product", "*", "op", "revenue_less_than", "value", "10"),
              "filter.value")
          .hasMessageContaining("needs a number");
      assertRejected(node("purchased_product", "*", "op", "revenue_less_than"), "filter.value");
    }

    @Test
    void firstAndLastUsePurchased() {
      assertThat(
              FilterParser.parse(
                  node(
                      "purchased_product",
                      "sku-1",
                      "op",
                      "first_purchased_before",
                      "value",
                      "2026-01-31")))
          .isEqualTo(
              new Filter.Activity(
                  true, "sku-1", ActivityOperator.FIRST_BEFORE, JAN_31, null, null));
      assertThat(
              FilterParser.parse(
                  node(
                      "purchased_product",
                      "sku-1",
                      "op",
                      "last_purchased_less_than_days_ago",
                      "value",
                      5)))
          .isEqualTo(
              new Filter.Activity(
                  true, "sku-1", ActivityOperator.LAST_LESS_THAN_DAYS_AGO, 5, null, null));
    }

    @Test
    void propertyIsNotAKeyOfPurchases() {
      assertRejected(
              node(
                  "purchased_product",
                  "*",
                  "op",
                  "purchased",
                  "in_last_days",
                  7,
                  "property",
                  node("name", "p", "op", "exists")),
              "filter.property")
          .hasMessageContaining("unknown key");
    }

    @Test
    void eventVerbsAreRejectedForPurchases() {
      assertRejected(node("purchased_product", "*", "op", "performed"), "filter.op")
          .hasMessageContaining("'performed' is not an operator of purchased_product");
      assertRejected(
          node("purchased_product", "*", "op", "first_performed_before", "value", "2026-01-31"),
          "filter.op");
    }

    @Test
    void theOperatorListUsesPurchasedAndIncludesRevenue() {
      List<String> names = allowedNames(node("purchased_product", "*", "op", "performed"));
      assertThat(names)
          .contains("purchased", "not_purchased", "first_purchased_before", "revenue_greater_than")
          .noneMatch(name -> name.contains("performed"));
    }

    @Test
    void windowRulesApply() {
      assertRejected(
          node("purchased_product", "*", "op", "purchased", "in_last_days", 3651),
          "filter.in_last_days");
      assertRejected(
          node(
              "purchased_product",
              "*",
              "op",
              "last_purchased_after",
              "value",
              "2026-01-31",
              "in_last_days",
              3),
          "filter.in_last_days");
    }

    @Test
    void productMustBeANonEmptyString() {
      assertRejected(node("purchased_product", "", "op", "purchased"), "filter.purchased_product");
      assertRejected(node("purchased_product", 12, "op", "purchased"), "filter.purchased_product");
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class SubscriptionGroupsAndSegments {
    @Test
    void subscribed() {
      assertThat(FilterParser.parse(node("subscription_group", "g-1", "op", "subscribed")))
          .isEqualTo(new Filter.SubscriptionGroup("g-1", true));
    }

    @Test
    void unsubscribed() {
      assertThat(FilterParser.parse(node("subscription_group", "g-1", "op", "unsubscribed")))
          .isEqualTo(new Filter.SubscriptionGroup("g-1", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"in", "equals", "opted_in", "Subscribed"})
    void otherSubscriptionGroupOperators(String op) {
      assertRejected(node("subscription_group", "g-1", "op", op), "filter.op")
          .hasMessageContaining("'" + op + "' is not an operator of subscription_group");
    }

    @Test
    void subscriptionGroupNeedsAnIdAndAnOperator() {
      assertRejected(
          node("subscription_group", "", "op", "subscribed"), "filter.subscription_group");
      assertRejected(node("subscription_group", "g-1"), "filter.op");
    }

    @Test
    void inSegment() {
      assertThat(FilterParser.parse(node("segment", "seg-1", "op", "in")))
          .isEqualTo(new Filter.Segment("seg-1", true));
    }

    @Test
    void notInSegment() {
      assertThat(FilterParser.parse(node("segment", "seg-1", "op", "not_in")))
          .isEqualTo(new Filter.Segment("seg-1", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"subscribed", "equals", "member", "IN"})
    void otherSegmentOperators(String op) {
      assertRejected(node("segment", "seg-1", "op", op), "filter.op")
          .hasMessageContaining("'" + op + "' is not an operator of segment");
    }

    @Test
    void segmentNeedsAnIdAndAnOperator() {
      assertRejected(node("segment", 5, "op", "in"), "filter.segment");
      assertRejected(node("segment", "seg-1", "op", null), "filter.op");
    }
  }
}
