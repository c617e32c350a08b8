package dev.kiln.segment;

import static dev.kiln.segment.FilterJson.array;
import static dev.kiln.segment.FilterJson.assertRejected;
import static dev.kiln.segment.FilterJson.country;
import static dev.kiln.segment.FilterJson.custom;
import static dev.kiln.segment.FilterJson.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shape of the filter language of docs/segments.md: and/or/not, nodes, keys, depth and error
 * paths.
 */
class FilterParserStructureTest {
  @Nested
  class Logic {
    @Test
    void emptyAndMatchesEveryone() {
      assertThat(FilterParser.parse(node("and", array()))).isEqualTo(new Filter.And(List.of()));
    }

    @Test
    void emptyOrMatchesNobody() {
      assertThat(FilterParser.parse(node("or", array()))).isEqualTo(new Filter.Or(List.of()));
    }

    @Test
    void nestedAndOrNot() {
      Map<String, Object> json =
          node(
              "and",
              array(
                  country("equals", "US"),
                  node(
                      "or",
                      array(
                          node("segment", "s1", "op", "in"),
                          node("not", node("subscription_group", "g1", "op", "subscribed"))))));

      Filter parsed = FilterParser.parse(json);

      assertThat(parsed)
          .isEqualTo(
              new Filter.And(
                  List.of(
                      new Filter.Attribute(
                          "country", new Condition(ValueType.TEXT, Operator.EQUALS, "US")),
                      new Filter.Or(
                          List.of(
                              new Filter.Segment("s1", true),
                              new Filter.Not(new Filter.SubscriptionGroup("g1", true)))))));
    }

    @Test
    void notOfAnd() {
      assertThat(FilterParser.parse(node("not", node("and", array()))))
          .isEqualTo(new Filter.Not(new Filter.And(List.of())));
    }

    @Test
    void theDocumentedExample() {
      Map<String, Object> json =
          node(
              "and",
              array(
                  node("attribute", "country", "op", "in", "value", array("US", "CA")),
                  node("custom_attribute", "plan", "op", "equals", "value", "pro"),
                  node(
                      "custom_event",
                      "watched_trailer",
                      "op",
                      "count_greater_than_or_equal",
                      "value",
                      2,
                      "in_last_days",
                      30),
                  node(
                      "not",
                      node("purchased_product", "*", "op", "purchased", "in_last_days", 90))));

      assertThat(FilterParser.parse(json))
          .isEqualTo(
              new Filter.And(
                  List.of(
                      new Filter.Attribute(
                          "country",
                          new Condition(ValueType.TEXT, Operator.IN, List.of("US", "CA"))),
                      new Filter.CustomAttribute(
                          "plan", List.of(), new Condition(ValueType.TEXT, Operator.EQUALS, "pro")),
                      new Filter.Activity(
                          false,
                          "watched_trailer",
                          ActivityOperator.COUNT_GREATER_THAN_OR_EQUAL,
                          2L,
                          30,
                          null),
                      new Filter.Not(
                          new Filter.Activity(
                              true, null, ActivityOperator.DONE, null, 90, null)))));
    }

    @Test
    void andMustHoldAnArray() {
      assertRejected(node("and", country("equals", "US")), "filter.and")
          .hasMessageContaining("must be an array");
      assertRejected(node("or", null), "filter.or").hasMessageContaining("must be an array");
    }

    @Test
    void andAndOrInOneNodeIsRejected() {
      assertRejected(node("and", array(), "or", array()), "filter.or")
          .hasMessageContaining("unknown key");
    }

    @Test
    void notTakesNoOtherKeys() {
      assertRejected(node("not", country("equals", "US"), "value", "x"), "filter.value")
          .hasMessageContaining("unknown key");
    }

    @Test
    void andNextToAPredicateKeyIsRejected() {
      assertRejected(node("and", array(), "attribute", "country"), "filter.attribute")
          .hasMessageContaining("unknown key");
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class NodeShape {
    @ParameterizedTest
    @MethodSource("dev.kiln.segment.FilterParserStructureTest#notObjects")
    void rootThatIsNotAnObject(Object json) {
      assertRejected(json, "filter").hasMessageContaining("must be an object");
    }

    @Test
    void childThatIsNotAnObject() {
      assertRejected(node("and", array(country("equals", "US"), "country")), "filter.and[1]")
          .hasMessageContaining("must be an object");
      assertRejected(node("or", array(array())), "filter.or[0]")
          .hasMessageContaining("must be an object");
      assertRejected(node("not", null), "filter.not").hasMessageContaining("must be an object");
      assertRejected(node("not", 3), "filter.not").hasMessageContaining("must be an object");
    }

    @Test
    void emptyObjectHasNoFamily() {
      assertRejected(node(), "filter").hasMessageContaining("a filter is");
    }

    @Test
    void objectWithNoKnownFamilyIsRejectedAndItsKeysNamed() {
      assertRejected(
              node("and", array(node("attribut", "country", "op", "equals", "value", "US"))),
              "filter.and[0]")
          .hasMessageContaining("attribut")
          .hasMessageContaining("custom_attribute");
    }

    @Test
    void familyNamesAreCaseSensitive() {
      assertRejected(node("Attribute", "country", "op", "equals", "value", "US"), "filter");
    }
  }

  static Stream<Object> notObjects() {
    return Stream.of("and", 1, true, array(), array(node("and", array())), new BigDecimal("2.5"));
  }

  @Test
  void nullRootIsNotAnObject() {
    assertRejected(null, "filter").hasMessageContaining("must be an object");
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class UnknownKeys {
    @Test
    void typoInAValueKeyIsNamedWithItsPath() {
      assertRejected(
              node("and", array(node("attribute", "country", "op", "equals", "valu", "US"))),
              "filter.and[0].valu")
          .hasMessageContaining("unknown key");
    }

    @Test
    void pathIsNotAKeyOfStandardAttributes() {
      assertRejected(
              node("attribute", "country", "path", array("a"), "op", "equals", "value", "US"),
              "filter.path")
          .hasMessageContaining("unknown key");
    }

    @Test
    void customAttribute() {
      assertRejected(
              node(
                  "or",
                  array(node("custom_attribute", "plan", "paths", array("a"), "op", "exists"))),
              "filter.or[0].paths")
          .hasMessageContaining("unknown key");
    }

    @Test
    void customEvent() {
      assertRejected(
              node("custom_event", "e", "op", "performed", "in_last_day", 3), "filter.in_last_day")
          .hasMessageContaining("unknown key");
    }

    @Test
    void purchase() {
      assertRejected(
              node("purchased_product", "*", "op", "purchased", "quantity", 2), "filter.quantity")
          .hasMessageContaining("unknown key");
    }

    @Test
    void subscriptionGroupTakesNoValue() {
      assertRejected(
              node("subscription_group", "g", "op", "subscribed", "value", "x"), "filter.value")
          .hasMessageContaining("unknown key");
    }

    @Test
    void segmentTakesNoValue() {
      assertRejected(node("segment", "s", "op", "in", "value", "x"), "filter.value")
          .hasMessageContaining("unknown key");
    }

    @Test
    void insideAnEventPropertyFilter() {
      assertRejected(
              node(
                  "custom_event",
                  "e",
                  "op",
                  "performed",
                  "in_last_days",
                  7,
                  "property",
                  node("name", "p", "op", "equals", "valeu", "x")),
              "filter.property.valeu")
          .hasMessageContaining("unknown key");
    }

    @Test
    void twoFamiliesInOneNode() {
      assertRejected(
              node("attribute", "country", "custom_attribute", "plan", "op", "exists"),
              "filter.custom_attribute")
          .hasMessageContaining("unknown key");
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class Depth {
    private Object nots(int count) {
      Object json = country("equals", "US");
      for (int i = 0; i < count; i++) {
        json = node("not", json);
      }
      return json;
    }

    @Test
    void thirtyTwoLevelsAreAccepted() {
      Filter filter = FilterParser.parse(nots(32));
      int levels = 0;
      while (filter instanceof Filter.Not not) {
        filter = not.filter();
        levels++;
      }
      assertThat(levels).isEqualTo(32);
      assertThat(filter).isInstanceOf(Filter.Attribute.class);
    }

    @Test
    void deeperThanThirtyTwoLevelsIsRejected() {
      assertRejected(nots(33), "filter" + ".not".repeat(33)).hasMessageContaining("32");
    }

    @Test
    void aFilterHoldsAtMost5000NamesAndValues() {
      List<Object> countries = new ArrayList<>();
      for (int i = 0; i < 4_995; i++) {
        countries.add("C" + i);
      }
      // {"attribute":..., "op":..., "value":[...]}: three keys, two names, 4,995 values: 5,000.
      assertThat(FilterParser.parse(country("in", countries))).isInstanceOf(Filter.Attribute.class);

      countries.add("one-too-many");
      assertThatThrownBy(() -> FilterParser.parse(country("in", countries)))
          .isInstanceOf(FilterException.class)
          .hasMessage("filter: holds 5001 names and values; a filter may hold at most 5000");
    }

    @Test
    void deepAndsAreRejected() {
      Object json = country("equals", "US");
      for (int i = 0; i < 40; i++) {
        json = node("and", array(json));
      }
      Object deep = json;
      assertThatThrownBy(() -> FilterParser.parse(deep))
          .isInstanceOf(FilterException.class)
          .hasMessageStartingWith("filter" + ".and[0]".repeat(33) + ": ")
          .hasMessageContaining("at most 32");
    }

    @Test
    void veryDeepNestingIsAFilterErrorNotAStackOverflow() {
      assertThatThrownBy(() -> FilterParser.parse(nots(100_000)))
          .isInstanceOf(FilterException.class);
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class ErrorPaths {
    @Test
    void deepOperator() {
      Map<String, Object> json =
          node(
              "and",
              array(
                  country("equals", "US"),
                  node(
                      "or",
                      array(
                          node(
                              "not",
                              node("attribute", "country", "op", "greater_than", "value", 1))))));
      assertRejected(json, "filter.and[1].or[0].not.op")
          .hasMessageContaining("'greater_than' is not an operator of attribute country");
    }

    @Test
    void deepValue() {
      Map<String, Object> json =
          node(
              "and",
              array(
                  country("equals", "US"),
                  node("or", array(node("not", custom("in", array("a", 2)))))));
      assertRejected(json, "filter.and[1].or[0].not.value[1]")
          .hasMessageContaining("must be a non-empty string");
    }

    @Test
    void deepPropertyOperator() {
      Map<String, Object> json =
          node(
              "or",
              array(
                  node(
                      "and",
                      array(
                          country("exists", null),
                          node(
                              "custom_event",
                              "e",
                              "op",
                              "performed",
                              "in_last_days",
                              7,
                              "property",
                              node("name", "p", "op", "is_true"))))));
      assertRejected(json, "filter.or[0].and[1].property.op").hasMessageContaining("'is_true'");
    }

    // The segment API's refusals (they were ITSegmentApi's): each names its node and the rule.
    // ITSegmentApi keeps one bad operator over HTTP, a 400 that creates nothing.

    @Test
    void aBadOperatorNamesTheRuleAndTheOperatorsAllowed() {
      assertRejected(node("and", array(country("greater", "US"))), "filter.and[0].op")
          .hasMessageContaining("greater")
          .hasMessageContaining("equals");
    }

    @Test
    void deeperBadNodesAreNamedByTheirPath() {
      assertRejected(
          node(
              "or",
              array(
                  country("equals", "US"),
                  node("not", node("custom_event", "played", "op", "did")))),
          "filter.or[1].not.op");
      assertRejected(
          node(
              "and",
              array(
                  country("equals", "US"),
                  node("custom_attribute", "score", "op", "between", "value", array(30, 10)))),
          "filter.and[1].value");
      assertRejected(
          node("custom_event", "played", "op", "performed", "in_last_days", 0),
          "filter.in_last_days");
    }

    @Test
    void anUnknownKeyIsNamedByItsPath() {
      assertRejected(
              node("and", array(node("attribute", "country", "op", "equals", "valeu", "US"))),
              "filter.and[0].valeu")
          .hasMessageContaining("unknown key");
      assertRejected(node("and", array(), "colour", "red"), "filter.colour");
    }

    @Test
    void aFilterThatIsTextOrEmptyIsNamedAsTheRoot() {
      assertRejected("country = US", "filter");
      assertRejected(node(), "filter");
    }
  }
}
