package dev.kiln.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ErrorCode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The filter language of docs/segments.md, as read by {@link FilterParser}. */
class FilterParserTest {
  private static final List<String> TEXT_FIELDS = List.of("first_name", "last_name", "email", "phone", "home_city",
      "country", "language", "time_zone", "gender", "email_subscribe", "push_subscribe", "external_id", "braze_id");
  private static final List<String> NUMBER_FIELDS = List.of("random_bucket", "total_revenue", "age");
  private static final List<String> DATE_FIELDS = List.of("created_at", "dob");

  /** The operators of each type, as docs/segments.md "Operators by type" lists them. */
  private static final List<String> TEXT_OPS = List.of("equals", "not_equals", "in", "matches_regex",
      "does_not_match_regex", "exists", "not_exists", "blank");
  private static final List<String> NUMBER_OPS = List.of("equals", "not_equals", "greater_than",
      "greater_than_or_equal", "less_than", "less_than_or_equal", "between", "exists", "not_exists");
  private static final List<String> DATE_OPS = List.of("before", "after", "more_than_days_ago", "less_than_days_ago",
      "in_more_than_days", "in_less_than_days", "exists", "not_exists");

  private static final Instant JAN_31 = Instant.parse("2026-01-31T00:00:00Z");

  // ---------------------------------------------------------------------------------------------
  // helpers

  /** A JSON object from key/value pairs, in order; values may be null. */
  static Map<String, Object> node(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("node needs key/value pairs");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** A JSON array; items may be null. */
  static List<Object> array(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  static Map<String, Object> country(String op, Object value) {
    return node("attribute", "country", "op", op, "value", value);
  }

  static Map<String, Object> custom(String op, Object value) {
    return node("custom_attribute", "plan", "op", op, "value", value);
  }

  static Map<String, Object> customNoValue(String op) {
    return node("custom_attribute", "plan", "op", op);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Object json, String path) {
    return assertThatThrownBy(() -> FilterParser.parse(json))
        .isInstanceOf(FilterException.class)
        .satisfies(e -> assertThat(((FilterException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageStartingWith(path + ": ");
  }

  /** The part of an "is not an operator" message after "use one of". */
  static String allowedList(Object json) {
    try {
      FilterParser.parse(json);
    } catch (FilterException e) {
      String message = e.getMessage();
      int at = message.indexOf("use one of ");
      assertThat(at).as("message lists the allowed operators: %s", message).isNotNegative();
      return message.substring(at + "use one of ".length());
    }
    throw new AssertionError("expected a FilterException for " + json);
  }

  static List<String> allowedNames(Object json) {
    return Arrays.stream(allowedList(json).split(",")).map(String::trim).toList();
  }

  static Condition condition(Filter filter) {
    return switch (filter) {
      case Filter.Attribute a -> a.condition();
      case Filter.CustomAttribute c -> c.condition();
      default -> throw new AssertionError("not an attribute filter: " + filter);
    };
  }

  // ---------------------------------------------------------------------------------------------

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
      Map<String, Object> json = node("and", array(
          country("equals", "US"),
          node("or", array(
              node("segment", "s1", "op", "in"),
              node("not", node("subscription_group", "g1", "op", "subscribed"))))));

      Filter parsed = FilterParser.parse(json);

      assertThat(parsed).isEqualTo(new Filter.And(List.of(
          new Filter.Attribute("country", new Condition(ValueType.TEXT, Operator.EQUALS, "US")),
          new Filter.Or(List.of(
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
      Map<String, Object> json = node("and", array(
          node("attribute", "country", "op", "in", "value", array("US", "CA")),
          node("custom_attribute", "plan", "op", "equals", "value", "pro"),
          node("custom_event", "watched_trailer", "op", "count_greater_than_or_equal", "value", 2, "in_last_days", 30),
          node("not", node("purchased_product", "*", "op", "purchased", "in_last_days", 90))));

      assertThat(FilterParser.parse(json)).isEqualTo(new Filter.And(List.of(
          new Filter.Attribute("country", new Condition(ValueType.TEXT, Operator.IN, List.of("US", "CA"))),
          new Filter.CustomAttribute("plan", List.of(), new Condition(ValueType.TEXT, Operator.EQUALS, "pro")),
          new Filter.Activity(false, "watched_trailer", ActivityOperator.COUNT_GREATER_THAN_OR_EQUAL, 2L, 30, null),
          new Filter.Not(new Filter.Activity(true, null, ActivityOperator.DONE, null, 90, null)))));
    }

    @Test
    void andMustHoldAnArray() {
      assertRejected(node("and", country("equals", "US")), "filter.and").hasMessageContaining("must be an array");
      assertRejected(node("or", null), "filter.or").hasMessageContaining("must be an array");
    }

    @Test
    void andAndOrInOneNodeIsRejected() {
      assertRejected(node("and", array(), "or", array()), "filter.or").hasMessageContaining("unknown key");
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
    @MethodSource("dev.kiln.segment.FilterParserTest#notObjects")
    void rootThatIsNotAnObject(Object json) {
      assertRejected(json, "filter").hasMessageContaining("must be an object");
    }

    @Test
    void childThatIsNotAnObject() {
      assertRejected(node("and", array(country("equals", "US"), "country")), "filter.and[1]")
          .hasMessageContaining("must be an object");
      assertRejected(node("or", array(array())), "filter.or[0]").hasMessageContaining("must be an object");
      assertRejected(node("not", null), "filter.not").hasMessageContaining("must be an object");
      assertRejected(node("not", 3), "filter.not").hasMessageContaining("must be an object");
    }

    @Test
    void emptyObjectHasNoFamily() {
      assertRejected(node(), "filter").hasMessageContaining("a filter is");
    }

    @Test
    void objectWithNoKnownFamilyIsRejectedAndItsKeysNamed() {
      assertRejected(node("and", array(node("attribut", "country", "op", "equals", "value", "US"))), "filter.and[0]")
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
      assertRejected(node("and", array(node("attribute", "country", "op", "equals", "valu", "US"))),
          "filter.and[0].valu").hasMessageContaining("unknown key");
    }

    @Test
    void pathIsNotAKeyOfStandardAttributes() {
      assertRejected(node("attribute", "country", "path", array("a"), "op", "equals", "value", "US"), "filter.path")
          .hasMessageContaining("unknown key");
    }

    @Test
    void customAttribute() {
      assertRejected(node("or", array(node("custom_attribute", "plan", "paths", array("a"), "op", "exists"))),
          "filter.or[0].paths").hasMessageContaining("unknown key");
    }

    @Test
    void customEvent() {
      assertRejected(node("custom_event", "e", "op", "performed", "in_last_day", 3), "filter.in_last_day")
          .hasMessageContaining("unknown key");
    }

    @Test
    void purchase() {
      assertRejected(node("purchased_product", "*", "op", "purchased", "quantity", 2), "filter.quantity")
          .hasMessageContaining("unknown key");
    }

    @Test
    void subscriptionGroupTakesNoValue() {
      assertRejected(node("subscription_group", "g", "op", "subscribed", "value", "x"), "filter.value")
          .hasMessageContaining("unknown key");
    }

    @Test
    void segmentTakesNoValue() {
      assertRejected(node("segment", "s", "op", "in", "value", "x"), "filter.value")
          .hasMessageContaining("unknown key");
    }

    @Test
    void insideAnEventPropertyFilter() {
      assertRejected(node("custom_event", "e", "op", "performed", "in_last_days", 7,
          "property", node("name", "p", "op", "equals", "valeu", "x")), "filter.property.valeu")
          .hasMessageContaining("unknown key");
    }

    @Test
    void twoFamiliesInOneNode() {
      assertRejected(node("attribute", "country", "custom_attribute", "plan", "op", "exists"),
          "filter.custom_attribute").hasMessageContaining("unknown key");
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
      assertThatThrownBy(() -> FilterParser.parse(nots(100_000))).isInstanceOf(FilterException.class);
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class ErrorPaths {
    @Test
    void deepOperator() {
      Map<String, Object> json = node("and", array(
          country("equals", "US"),
          node("or", array(node("not", node("attribute", "country", "op", "greater_than", "value", 1))))));
      assertRejected(json, "filter.and[1].or[0].not.op")
          .hasMessageContaining("'greater_than' is not an operator of attribute country");
    }

    @Test
    void deepValue() {
      Map<String, Object> json = node("and", array(
          country("equals", "US"),
          node("or", array(node("not", custom("in", array("a", 2)))))));
      assertRejected(json, "filter.and[1].or[0].not.value[1]").hasMessageContaining("must be a non-empty string");
    }

    @Test
    void deepPropertyOperator() {
      Map<String, Object> json = node("or", array(node("and", array(country("exists", null),
          node("custom_event", "e", "op", "performed", "in_last_days", 7,
              "property", node("name", "p", "op", "is_true"))))));
      assertRejected(json, "filter.or[0].and[1].property.op").hasMessageContaining("'is_true'");
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class StandardFields {
    @ParameterizedTest
    @MethodSource("dev.kiln.segment.FilterParserTest#standardFieldsWithValidOps")
    void everyFieldParsesWithAnOperatorOfItsType(String field, String op, Object value, ValueType type,
        Object expected) {
      Filter parsed = FilterParser.parse(node("attribute", field, "op", op, "value", value));

      assertThat(parsed).isEqualTo(new Filter.Attribute(field,
          new Condition(type, Operator.named(op).orElseThrow(), expected)));
    }

    @Test
    void aliasLabelIsText() {
      assertThat(FilterParser.parse(node("attribute", "alias_label", "op", "equals", "value", "amplitude_id")))
          .isEqualTo(new Filter.Attribute("alias_label",
              new Condition(ValueType.TEXT, Operator.EQUALS, "amplitude_id")));
      assertThat(FilterParser.parse(node("attribute", "alias_label", "op", "exists")))
          .isEqualTo(new Filter.Attribute("alias_label", new Condition(ValueType.TEXT, Operator.EXISTS, null)));
    }

    @Test
    void subscriptionStatesAreText() {
      assertThat(FilterParser.parse(node("attribute", "email_subscribe", "op", "equals", "value", "opted_in")))
          .isEqualTo(new Filter.Attribute("email_subscribe",
              new Condition(ValueType.TEXT, Operator.EQUALS, "opted_in")));
    }

    @Test
    void unknownFieldIsNamedWithItsPath() {
      assertRejected(node("and", array(node("attribute", "favourite_color", "op", "equals", "value", "red"))),
          "filter.and[0].attribute")
          .hasMessageContaining("'favourite_color' is not a standard attribute")
          .hasMessageContaining("country");
    }

    @Test
    void customAttributeNamesAreNotStandardFields() {
      assertRejected(node("attribute", "plan", "op", "equals", "value", "pro"), "filter.attribute")
          .hasMessageContaining("'plan'");
    }

    @Test
    void fieldMustBeANonEmptyString() {
      assertRejected(node("attribute", "", "op", "exists"), "filter.attribute");
      assertRejected(node("attribute", 3, "op", "exists"), "filter.attribute");
      assertRejected(node("attribute", null, "op", "exists"), "filter.attribute");
    }

    @Test
    void greaterThanOnATextFieldListsTheTextOperators() {
      Map<String, Object> json = country("greater_than", 3);
      assertRejected(json, "filter.op").hasMessageContaining("'greater_than' is not an operator of attribute country");
      assertThat(allowedNames(json)).containsExactlyInAnyOrderElementsOf(TEXT_OPS);
    }

    @Test
    void matchesRegexOnANumberFieldListsTheNumberOperators() {
      Map<String, Object> json = node("attribute", "random_bucket", "op", "matches_regex", "value", "1.*");
      assertRejected(json, "filter.op").hasMessageContaining("'matches_regex' is not an operator of attribute random_bucket");
      assertThat(allowedNames(json)).containsExactlyInAnyOrderElementsOf(NUMBER_OPS);
    }

    @Test
    void numberOperatorOnADateFieldListsTheDateOperators() {
      Map<String, Object> json = node("attribute", "created_at", "op", "greater_than", "value", 3);
      assertRejected(json, "filter.op").hasMessageContaining("'greater_than' is not an operator of attribute created_at");
      assertThat(allowedNames(json)).containsExactlyInAnyOrderElementsOf(DATE_OPS);
    }

    @ParameterizedTest
    @MethodSource("dev.kiln.segment.FilterParserTest#wrongTypeOperators")
    void operatorOfAnotherTypeIsRejected(String field, String op, Object value) {
      assertRejected(node("attribute", field, "op", op, "value", value), "filter.op")
          .hasMessageContaining("'" + op + "' is not an operator of attribute " + field);
    }

    @Test
    void unknownOperator() {
      assertRejected(country("equal", "US"), "filter.op").hasMessageContaining("'equal'");
    }

    @Test
    void missingOperator() {
      assertRejected(node("attribute", "country", "value", "US"), "filter.op")
          .hasMessageContaining("must be a non-empty string");
    }

    @Test
    void equalsOnATextFieldNeedsAString() {
      assertRejected(country("equals", 5), "filter.value").hasMessageContaining("string");
      assertRejected(country("equals", true), "filter.value");
      assertRejected(node("attribute", "country", "op", "equals"), "filter.value");
    }

    @Test
    void equalsOnANumberFieldNeedsANumber() {
      assertRejected(node("attribute", "age", "op", "equals", "value", "30"), "filter.value")
          .hasMessageContaining("number");
    }

    @Test
    void notEqualsOnATextField() {
      assertThat(FilterParser.parse(country("not_equals", "US")))
          .isEqualTo(new Filter.Attribute("country", new Condition(ValueType.TEXT, Operator.NOT_EQUALS, "US")));
    }

    @Test
    void notEqualsOnANumberField() {
      assertThat(FilterParser.parse(node("attribute", "age", "op", "not_equals", "value", 30)))
          .isEqualTo(new Filter.Attribute("age",
              new Condition(ValueType.NUMBER, Operator.NOT_EQUALS, new BigDecimal("30"))));
    }

    /** docs/segments.md "Operators by type": for text, {@code not_equals (string)}. */
    @Test
    void notEqualsOnATextFieldNeedsAString() {
      assertRejected(country("not_equals", 5), "filter.value");
      assertRejected(country("not_equals", true), "filter.value");
    }

    /** docs/segments.md "Operators by type": for number, {@code not_equals} takes a number. */
    @Test
    void notEqualsOnANumberFieldNeedsANumber() {
      assertRejected(node("attribute", "random_bucket", "op", "not_equals", "value", "abc"), "filter.value");
    }
  }

  static Stream<Arguments> standardFieldsWithValidOps() {
    List<Arguments> cases = new ArrayList<>();
    for (String field : TEXT_FIELDS) {
      cases.add(Arguments.of(field, "equals", "x", ValueType.TEXT, "x"));
      cases.add(Arguments.of(field, "in", array("x", "y"), ValueType.TEXT, List.of("x", "y")));
      cases.add(Arguments.of(field, "matches_regex", "^x.*$", ValueType.TEXT, "^x.*$"));
      cases.add(Arguments.of(field, "blank", null, ValueType.TEXT, null));
      cases.add(Arguments.of(field, "exists", null, ValueType.TEXT, null));
    }
    for (String field : NUMBER_FIELDS) {
      cases.add(Arguments.of(field, "between", array(0, 10), ValueType.NUMBER,
          new Condition.NumberRange(new BigDecimal("0"), new BigDecimal("10"))));
      cases.add(Arguments.of(field, "greater_than", 5, ValueType.NUMBER, new BigDecimal("5")));
    }
    for (String field : DATE_FIELDS) {
      cases.add(Arguments.of(field, "before", "2026-01-31", ValueType.DATE, JAN_31));
      cases.add(Arguments.of(field, "more_than_days_ago", 7, ValueType.DATE, 7));
    }
    return cases.stream();
  }

  static Stream<Arguments> wrongTypeOperators() {
    return Stream.of(
        Arguments.of("country", "greater_than", 1),
        Arguments.of("email", "between", array(1, 2)),
        Arguments.of("first_name", "before", "2026-01-31"),
        Arguments.of("phone", "is_true", null),
        Arguments.of("external_id", "includes", "x"),
        Arguments.of("random_bucket", "matches_regex", "1"),
        Arguments.of("age", "in", array("1")),
        Arguments.of("total_revenue", "before", "2026-01-31"),
        Arguments.of("created_at", "equals", "2026-01-31"),
        Arguments.of("dob", "greater_than", 3),
        Arguments.of("dob", "blank", null),
        Arguments.of("alias_label", "size_equals", 1));
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class CustomAttributes {
    @Test
    void equalsWithAStringIsText() {
      assertThat(FilterParser.parse(custom("equals", "pro")))
          .isEqualTo(new Filter.CustomAttribute("plan", List.of(), new Condition(ValueType.TEXT, Operator.EQUALS, "pro")));
    }

    @Test
    void equalsWithANumberIsNumber() {
      assertThat(condition(FilterParser.parse(custom("equals", 3))))
          .isEqualTo(new Condition(ValueType.NUMBER, Operator.EQUALS, new BigDecimal("3")));
      assertThat(condition(FilterParser.parse(custom("equals", 3L))))
          .isEqualTo(new Condition(ValueType.NUMBER, Operator.EQUALS, new BigDecimal("3")));
      assertThat(condition(FilterParser.parse(custom("equals", 2.5))))
          .isEqualTo(new Condition(ValueType.NUMBER, Operator.EQUALS, new BigDecimal("2.5")));
      assertThat(condition(FilterParser.parse(custom("equals", new BigDecimal("1.25")))))
          .isEqualTo(new Condition(ValueType.NUMBER, Operator.EQUALS, new BigDecimal("1.25")));
    }

    @Test
    void notEqualsGoesByTheValueToo() {
      assertThat(condition(FilterParser.parse(custom("not_equals", "pro"))).type()).isEqualTo(ValueType.TEXT);
      assertThat(condition(FilterParser.parse(custom("not_equals", 4))).type()).isEqualTo(ValueType.NUMBER);
    }

    @Test
    void isTrueIsBoolean() {
      assertThat(condition(FilterParser.parse(customNoValue("is_true"))))
          .isEqualTo(new Condition(ValueType.BOOLEAN, Operator.IS_TRUE, null));
    }

    @Test
    void beforeIsDate() {
      assertThat(condition(FilterParser.parse(custom("before", "2026-01-31"))))
          .isEqualTo(new Condition(ValueType.DATE, Operator.BEFORE, JAN_31));
    }

    @Test
    void includesIsArray() {
      assertThat(condition(FilterParser.parse(custom("includes", "gold"))))
          .isEqualTo(new Condition(ValueType.ARRAY, Operator.INCLUDES, "gold"));
    }

    @Test
    void greaterThanIsNumber() {
      assertThat(condition(FilterParser.parse(custom("greater_than", 10))).type()).isEqualTo(ValueType.NUMBER);
    }

    @Test
    void matchesRegexIsText() {
      assertThat(condition(FilterParser.parse(custom("matches_regex", "^p"))).type()).isEqualTo(ValueType.TEXT);
    }

    @Test
    void pathReachesIntoANestedObject() {
      Filter parsed = FilterParser.parse(node("custom_attribute", "profile", "path", array("address", "city"),
          "op", "equals", "value", "Paris"));
      assertThat(parsed).isEqualTo(new Filter.CustomAttribute("profile", List.of("address", "city"),
          new Condition(ValueType.TEXT, Operator.EQUALS, "Paris")));
    }

    @Test
    void noPathOrNullOrEmptyPathIsTheAttributeItself() {
      assertThat(((Filter.CustomAttribute) FilterParser.parse(custom("equals", "pro"))).path()).isEmpty();
      assertThat(((Filter.CustomAttribute) FilterParser.parse(
          node("custom_attribute", "plan", "path", null, "op", "exists"))).path()).isEmpty();
      assertThat(((Filter.CustomAttribute) FilterParser.parse(
          node("custom_attribute", "plan", "path", array(), "op", "exists"))).path()).isEmpty();
    }

    @Test
    void pathMustBeAnArrayOfNonEmptyStrings() {
      assertRejected(node("custom_attribute", "p", "path", "address.city", "op", "exists"), "filter.path")
          .hasMessageContaining("must be an array");
      assertRejected(node("custom_attribute", "p", "path", array("address", 1), "op", "exists"), "filter.path[1]")
          .hasMessageContaining("must be a non-empty string");
      assertRejected(node("custom_attribute", "p", "path", array(""), "op", "exists"), "filter.path[0]");
    }

    @Test
    void nameMustBeANonEmptyString() {
      assertRejected(node("custom_attribute", "", "op", "exists"), "filter.custom_attribute");
      assertRejected(node("custom_attribute", 7, "op", "exists"), "filter.custom_attribute");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.kiln.segment.FilterParserTest#customOperators")
    void everyOperatorOfEveryTypeParses(String op, Object value, List<ValueType> types, Object expected) {
      Map<String, Object> json = value == NO_VALUE ? customNoValue(op) : custom(op, value);

      Filter.CustomAttribute parsed = (Filter.CustomAttribute) FilterParser.parse(json);

      Operator operator = Operator.named(op).orElseThrow();
      assertThat(parsed.name()).isEqualTo("plan");
      assertThat(parsed.condition().op()).isEqualTo(operator);
      assertThat(parsed.condition().type()).isIn(types);
      assertThat(parsed.condition().value()).isEqualTo(expected);
    }

    @Test
    void theUnknownOperatorMessageListsEveryOperator() {
      Map<String, Object> json = custom("greater", 3);
      assertRejected(json, "filter.op").hasMessageContaining("'greater' is not an operator of custom_attribute; use one of");
      List<String> all = Arrays.stream(Operator.values()).map(Operator::jsonName).toList();
      assertThat(allowedNames(json)).containsExactlyInAnyOrderElementsOf(all);
    }

    // -- invalid values

    @Test
    void inWithAnEmptyArray() {
      assertRejected(custom("in", array()), "filter.value").hasMessageContaining("at least one string");
    }

    @Test
    void inWithNonStrings() {
      assertRejected(custom("in", array("a", 1)), "filter.value[1]").hasMessageContaining("must be a non-empty string");
      assertRejected(custom("in", array(true)), "filter.value[0]");
      assertRejected(custom("in", array((Object) null)), "filter.value[0]");
      assertRejected(custom("in", array(array("a"))), "filter.value[0]");
    }

    @Test
    void inWithAStringInsteadOfAnArray() {
      assertRejected(custom("in", "a"), "filter.value").hasMessageContaining("must be an array");
    }

    @Test
    void betweenWithLowAboveHigh() {
      assertRejected(custom("between", array(10, 1)), "filter.value").hasMessageContaining("low must not be above high");
    }

    @Test
    void betweenWithEqualEndsIsInclusive() {
      assertThat(condition(FilterParser.parse(custom("between", array(3, 3)))).value())
          .isEqualTo(new Condition.NumberRange(new BigDecimal("3"), new BigDecimal("3")));
    }

    @Test
    void betweenNeedsTwoNumbers() {
      assertRejected(custom("between", array(1)), "filter.value").hasMessageContaining("[low, high]");
      assertRejected(custom("between", array(1, 2, 3)), "filter.value").hasMessageContaining("[low, high]");
      assertRejected(custom("between", array()), "filter.value");
      assertRejected(custom("between", array("1", 2)), "filter.value[0]").hasMessageContaining("needs a number");
      assertRejected(custom("between", array(1, null)), "filter.value[1]").hasMessageContaining("needs a number");
      assertRejected(custom("between", 5), "filter.value").hasMessageContaining("must be an array");
      assertRejected(customNoValue("between"), "filter.value");
    }

    @Test
    void beforeWithSomethingThatIsNotADate() {
      assertRejected(custom("before", "not a date"), "filter.value")
          .hasMessageContaining("'not a date' is not a date or time");
      assertRejected(custom("after", "2026-02-30"), "filter.value");
      assertRejected(custom("after", 20260131), "filter.value");
      assertRejected(customNoValue("before"), "filter.value");
    }

    @Test
    void afterTakesATimeWithAnOffset() {
      assertThat(condition(FilterParser.parse(custom("after", "2026-01-31T10:00:00+01:00"))).value())
          .isEqualTo(Instant.parse("2026-01-31T09:00:00Z"));
    }

    @Test
    void daysMustBeWholeAndNotNegative() {
      assertRejected(custom("more_than_days_ago", -1), "filter.value");
      assertRejected(custom("more_than_days_ago", 2.5), "filter.value").hasMessageContaining("whole number");
      assertRejected(custom("in_less_than_days", "3"), "filter.value").hasMessageContaining("needs a number");
      assertRejected(customNoValue("less_than_days_ago"), "filter.value");
    }

    @Test
    void zeroDaysAndAWholeValuedDoubleAreAccepted() {
      assertThat(condition(FilterParser.parse(custom("more_than_days_ago", 0))).value()).isEqualTo(0);
      assertThat(condition(FilterParser.parse(custom("less_than_days_ago", 3.0))).value()).isEqualTo(3);
    }

    @Test
    void sizeMustBeWholeAndNotNegative() {
      assertRejected(custom("size_equals", -1), "filter.value").hasMessageContaining("negative");
      assertRejected(custom("size_greater_than", 1.5), "filter.value").hasMessageContaining("whole number");
      assertRejected(custom("size_less_than", "2"), "filter.value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"matches_regex", "does_not_match_regex", "includes_matching_regex"})
    void invalidRegex(String op) {
      assertRejected(custom(op, "(["), "filter.value").hasMessageContaining("not a valid regular expression");
    }

    @Test
    void regexMustBeAString() {
      assertRejected(custom("matches_regex", 5), "filter.value").hasMessageContaining("must be a non-empty string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exists", "not_exists", "blank", "is_true", "is_false", "is_true_or_not_set",
        "is_false_or_not_set"})
    void operatorWithoutAValueRejectsOne(String op) {
      assertRejected(custom(op, "x"), "filter.value").hasMessageContaining("takes no value");
      assertRejected(custom(op, false), "filter.value").hasMessageContaining("takes no value");
    }

    @Test
    void anExplicitNullValueCountsAsNoValue() {
      assertThat(condition(FilterParser.parse(custom("exists", null))).value()).isNull();
      assertThat(condition(FilterParser.parse(custom("is_false", null))))
          .isEqualTo(new Condition(ValueType.BOOLEAN, Operator.IS_FALSE, null));
    }

    @Test
    void equalsNeedsAStringOrANumber() {
      assertRejected(custom("equals", true), "filter.value").hasMessageContaining("string or a number");
      assertRejected(custom("not_equals", array("a")), "filter.value");
      assertRejected(customNoValue("equals"), "filter.value");
    }

    @Test
    void numberOperatorsNeedANumber() {
      assertRejected(custom("greater_than", "5"), "filter.value").hasMessageContaining("needs a number");
      assertRejected(customNoValue("less_than"), "filter.value");
    }

    @Test
    void includesNeedsAScalar() {
      assertRejected(custom("includes", array("a")), "filter.value");
      assertRejected(custom("does_not_include", node("a", 1)), "filter.value");
      assertRejected(customNoValue("includes"), "filter.value");
    }
  }

  /** Marks a case whose JSON has no "value" key at all. */
  static final Object NO_VALUE = new Object();

  static Stream<Arguments> customOperators() {
    List<ValueType> text = List.of(ValueType.TEXT);
    List<ValueType> number = List.of(ValueType.NUMBER);
    List<ValueType> bool = List.of(ValueType.BOOLEAN);
    List<ValueType> date = List.of(ValueType.DATE);
    List<ValueType> arr = List.of(ValueType.ARRAY);
    List<ValueType> existence = List.of(ValueType.TEXT, ValueType.NUMBER, ValueType.DATE);
    return Stream.of(
        // text
        Arguments.of("equals", "pro", text, "pro"),
        Arguments.of("not_equals", "pro", text, "pro"),
        Arguments.of("in", array("pro", "team"), text, List.of("pro", "team")),
        Arguments.of("matches_regex", "^p.o$", text, "^p.o$"),
        Arguments.of("does_not_match_regex", "^free", text, "^free"),
        Arguments.of("exists", NO_VALUE, existence, null),
        Arguments.of("not_exists", NO_VALUE, existence, null),
        Arguments.of("blank", NO_VALUE, text, null),
        // number
        Arguments.of("equals", 5, number, new BigDecimal("5")),
        Arguments.of("not_equals", 5, number, new BigDecimal("5")),
        Arguments.of("greater_than", 1.5, number, new BigDecimal("1.5")),
        Arguments.of("greater_than_or_equal", -2, number, new BigDecimal("-2")),
        Arguments.of("less_than", 100L, number, new BigDecimal("100")),
        Arguments.of("less_than_or_equal", new BigDecimal("0.25"), number, new BigDecimal("0.25")),
        Arguments.of("between", array(1, 10), number, new Condition.NumberRange(new BigDecimal("1"), new BigDecimal("10"))),
        Arguments.of("between", array(-1.5, 2), number,
            new Condition.NumberRange(new BigDecimal("-1.5"), new BigDecimal("2"))),
        // boolean
        Arguments.of("is_true", NO_VALUE, bool, null),
        Arguments.of("is_false", NO_VALUE, bool, null),
        Arguments.of("is_true_or_not_set", NO_VALUE, bool, null),
        Arguments.of("is_false_or_not_set", NO_VALUE, bool, null),
        // date
        Arguments.of("before", "2026-01-31", date, JAN_31),
        Arguments.of("after", "2026-01-31T12:30:00Z", date, Instant.parse("2026-01-31T12:30:00Z")),
        Arguments.of("more_than_days_ago", 30, date, 30),
        Arguments.of("less_than_days_ago", 7, date, 7),
        Arguments.of("in_more_than_days", 1, date, 1),
        Arguments.of("in_less_than_days", 14L, date, 14),
        // array
        Arguments.of("includes", "gold", arr, "gold"),
        Arguments.of("includes", 3, arr, new BigDecimal("3")),
        Arguments.of("includes", true, arr, true),
        Arguments.of("does_not_include", "gold", arr, "gold"),
        Arguments.of("includes_matching_regex", "^g", arr, "^g"),
        Arguments.of("size_equals", 0, arr, 0L),
        Arguments.of("size_greater_than", 2, arr, 2L),
        Arguments.of("size_less_than", 5, arr, 5L));
  }

  // ---------------------------------------------------------------------------------------------

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
          .isEqualTo(new Filter.Activity(false, "watched", ActivityOperator.DONE, null, null, null));
    }

    @Test
    void notPerformedInAWindow() {
      assertThat(FilterParser.parse(event("op", "not_performed", "in_last_days", 30)))
          .isEqualTo(new Filter.Activity(false, "watched", ActivityOperator.NOT_DONE, null, 30, null));
    }

    @Test
    void anEventNamedStarIsNotAWildcard() {
      assertThat(((Filter.Activity) FilterParser.parse(node("custom_event", "*", "op", "performed"))).subject())
          .isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"count_equals", "count_greater_than", "count_greater_than_or_equal", "count_less_than",
        "count_less_than_or_equal"})
    void countOperatorsWithAWindow(String op) {
      Filter.Activity parsed = (Filter.Activity) FilterParser.parse(event("op", op, "value", 2, "in_last_days", 7));
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
      assertThat(((Filter.Activity) FilterParser.parse(event("op", "performed", "in_last_days", days))).inLastDays())
          .isEqualTo(days);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3651})
    void windowOutOfRange(int days) {
      assertRejected(event("op", "count_greater_than", "value", 1, "in_last_days", days), "filter.in_last_days")
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
      assertRejected(event("op", "performed", "value", 1), "filter.value").hasMessageContaining("takes no value");
    }

    @ParameterizedTest
    @MethodSource("dev.kiln.segment.FilterParserTest#firstAndLastOperators")
    void firstAndLastOperators(String op, Object value, ActivityOperator expectedOp, Object expected) {
      assertThat(FilterParser.parse(event("op", op, "value", value)))
          .isEqualTo(new Filter.Activity(false, "watched", expectedOp, expected, null, null));
    }

    @Test
    void firstAndLastValuesAreChecked() {
      assertRejected(event("op", "first_performed_before", "value", "yesterday"), "filter.value")
          .hasMessageContaining("not a date or time");
      assertRejected(event("op", "last_performed_more_than_days_ago", "value", -1), "filter.value");
      assertRejected(event("op", "last_performed_less_than_days_ago", "value", 2.5), "filter.value");
    }

    @Test
    void windowIsRejectedOnLastPerformedBefore() {
      assertRejected(event("op", "last_performed_before", "value", "2026-01-31", "in_last_days", 7),
          "filter.in_last_days").hasMessageContaining("take a window");
    }

    @Test
    void windowIsRejectedOnDaysAgoOperators() {
      assertRejected(event("op", "first_performed_more_than_days_ago", "value", 3, "in_last_days", 7),
          "filter.in_last_days");
    }

    @Test
    void propertyWithAWindow() {
      Filter parsed = FilterParser.parse(event("op", "count_greater_than", "value", 1, "in_last_days", 30,
          "property", node("name", "genre", "op", "equals", "value", "drama")));
      assertThat(parsed).isEqualTo(new Filter.Activity(false, "watched", ActivityOperator.COUNT_GREATER_THAN, 1L, 30,
          new Filter.PropertyCondition("genre", new Condition(ValueType.TEXT, Operator.EQUALS, "drama"))));
    }

    @Test
    void numberPropertyWithAWindow() {
      Filter.Activity parsed = (Filter.Activity) FilterParser.parse(event("op", "performed", "in_last_days", 7,
          "property", node("name", "minutes", "op", "greater_than", "value", 10)));
      assertThat(parsed.property()).isEqualTo(new Filter.PropertyCondition("minutes",
          new Condition(ValueType.NUMBER, Operator.GREATER_THAN, new BigDecimal("10"))));
    }

    @Test
    void textPropertyOperators() {
      Filter.Activity in = (Filter.Activity) FilterParser.parse(event("op", "performed", "in_last_days", 7,
          "property", node("name", "genre", "op", "in", "value", array("drama", "comedy"))));
      assertThat(in.property().condition()).isEqualTo(
          new Condition(ValueType.TEXT, Operator.IN, List.of("drama", "comedy")));
      Filter.Activity exists = (Filter.Activity) FilterParser.parse(event("op", "performed", "in_last_days", 7,
          "property", node("name", "genre", "op", "exists")));
      assertThat(exists.property().condition().op()).isEqualTo(Operator.EXISTS);
    }

    /** docs/segments.md "Custom events": a property filter takes text and number operators, between included. */
    @Test
    void betweenOnAPropertyComparesAsNumbers() {
      Filter.Activity parsed = (Filter.Activity) FilterParser.parse(event("op", "performed", "in_last_days", 7,
          "property", node("name", "minutes", "op", "between", "value", array(1, 5))));
      assertThat(parsed.property().condition()).isEqualTo(new Condition(ValueType.NUMBER, Operator.BETWEEN,
          new Condition.NumberRange(new BigDecimal("1"), new BigDecimal("5"))));
    }

    /** docs/segments.md: a property's not_equals takes a string or a number, as equals does. */
    @Test
    void notEqualsOnAPropertyNeedsAStringOrANumber() {
      assertRejected(event("op", "performed", "in_last_days", 7,
          "property", node("name", "vip", "op", "not_equals", "value", true)), "filter.property.value");
    }

    @Test
    void propertyWithoutAWindowIsRejected() {
      assertRejected(event("op", "performed", "property", node("name", "genre", "op", "equals", "value", "drama")),
          "filter.property").hasMessageContaining("needs in_last_days");
    }

    @Test
    void propertyChecksItsOwnParts() {
      assertRejected(event("op", "performed", "in_last_days", 7, "property", "genre"), "filter.property")
          .hasMessageContaining("must be an object");
      assertRejected(event("op", "performed", "in_last_days", 7, "property", node("op", "exists")),
          "filter.property.name");
      assertRejected(event("op", "performed", "in_last_days", 7,
          "property", node("name", "genre", "op", "is_true")), "filter.property.op");
      assertRejected(event("op", "performed", "in_last_days", 7,
          "property", node("name", "genre", "op", "before", "value", "2026-01-31")), "filter.property.op");
      assertRejected(event("op", "performed", "in_last_days", 7,
          "property", node("name", "genre", "op", "equals", "value", true)), "filter.property.value");
      assertRejected(event("op", "performed", "in_last_days", 7,
          "property", node("name", "genre", "op", "in", "value", array())), "filter.property.value");
    }

    @Test
    void revenueOperatorsAreForPurchasesOnly() {
      Map<String, Object> json = event("op", "revenue_greater_than", "value", 10);
      assertRejected(json, "filter.op").hasMessageContaining("'revenue_greater_than' is not an operator of custom_event");
      assertThat(allowedNames(json))
          .contains("performed", "not_performed", "count_equals", "first_performed_before",
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
        Arguments.of("last_performed_after", "2026-01-31T00:00:00Z", ActivityOperator.LAST_AFTER, JAN_31),
        Arguments.of("first_performed_more_than_days_ago", 10, ActivityOperator.FIRST_MORE_THAN_DAYS_AGO, 10),
        Arguments.of("first_performed_less_than_days_ago", 10, ActivityOperator.FIRST_LESS_THAN_DAYS_AGO, 10),
        Arguments.of("last_performed_more_than_days_ago", 0, ActivityOperator.LAST_MORE_THAN_DAYS_AGO, 0),
        Arguments.of("last_performed_less_than_days_ago", 365, ActivityOperator.LAST_LESS_THAN_DAYS_AGO, 365));
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
      assertThat(FilterParser.parse(node("purchased_product", "*", "op", "not_purchased", "in_last_days", 90)))
          .isEqualTo(new Filter.Activity(true, null, ActivityOperator.NOT_DONE, null, 90, null));
    }

    @Test
    void countGreaterThan() {
      assertThat(FilterParser.parse(node("purchased_product", "sku-1", "op", "count_greater_than", "value", 3)))
          .isEqualTo(new Filter.Activity(true, "sku-1", ActivityOperator.COUNT_GREATER_THAN, 3L, null, null));
    }

    @Test
    void revenueInAWindow() {
      assertThat(FilterParser.parse(node("purchased_product", "*", "op", "revenue_greater_than_or_equal",
          "value", 9.99, "in_last_days", 30)))
          .isEqualTo(new Filter.Activity(true, null, ActivityOperator.REVENUE_GREATER_THAN_OR_EQUAL,
              new BigDecimal("9.99"), 30, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"revenue_greater_than", "revenue_greater_than_or_equal", "revenue_less_than",
        "revenue_less_than_or_equal"})
    void everyRevenueOperator(String op) {
      Filter.Activity parsed = (Filter.Activity) FilterParser.parse(
          node("purchased_product", "sku-1", "op", op, "value", 100));
      assertThat(parsed.op().jsonName("purchased")).isEqualTo(op);
      assertThat(parsed.op().isRevenue()).isTrue();
      assertThat(parsed.value()).isEqualTo(new BigDecimal("100"));
    }

    @Test
    void revenueNeedsANumber() {
      assertRejected(node("purchased_product", "*", "op", "revenue_less_than", "value", "10"), "filter.value")
          .hasMessageContaining("needs a number");
      assertRejected(node("purchased_product", "*", "op", "revenue_less_than"), "filter.value");
    }

    @Test
    void firstAndLastUsePurchased() {
      assertThat(FilterParser.parse(node("purchased_product", "sku-1", "op", "first_purchased_before",
          "value", "2026-01-31")))
          .isEqualTo(new Filter.Activity(true, "sku-1", ActivityOperator.FIRST_BEFORE, JAN_31, null, null));
      assertThat(FilterParser.parse(node("purchased_product", "sku-1", "op", "last_purchased_less_than_days_ago",
          "value", 5)))
          .isEqualTo(new Filter.Activity(true, "sku-1", ActivityOperator.LAST_LESS_THAN_DAYS_AGO, 5, null, null));
    }

    @Test
    void propertyIsNotAKeyOfPurchases() {
      assertRejected(node("purchased_product", "*", "op", "purchased", "in_last_days", 7,
          "property", node("name", "p", "op", "exists")), "filter.property").hasMessageContaining("unknown key");
    }

    @Test
    void eventVerbsAreRejectedForPurchases() {
      assertRejected(node("purchased_product", "*", "op", "performed"), "filter.op")
          .hasMessageContaining("'performed' is not an operator of purchased_product");
      assertRejected(node("purchased_product", "*", "op", "first_performed_before", "value", "2026-01-31"),
          "filter.op");
    }

    @Test
    void theOperatorListUsesPurchasedAndIncludesRevenue() {
      List<String> names = allowedNames(node("purchased_product", "*", "op", "performed"));
      assertThat(names).contains("purchased", "not_purchased", "first_purchased_before", "revenue_greater_than")
          .noneMatch(name -> name.contains("performed"));
    }

    @Test
    void windowRulesApply() {
      assertRejected(node("purchased_product", "*", "op", "purchased", "in_last_days", 3651), "filter.in_last_days");
      assertRejected(node("purchased_product", "*", "op", "last_purchased_after", "value", "2026-01-31",
          "in_last_days", 3), "filter.in_last_days");
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
      assertRejected(node("subscription_group", "", "op", "subscribed"), "filter.subscription_group");
      assertRejected(node("subscription_group", "g-1"), "filter.op");
    }

    @Test
    void inSegment() {
      assertThat(FilterParser.parse(node("segment", "seg-1", "op", "in"))).isEqualTo(new Filter.Segment("seg-1", true));
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
