package dev.kiln.segment;

import static dev.kiln.segment.FilterJson.JAN_31;
import static dev.kiln.segment.FilterJson.allowedNames;
import static dev.kiln.segment.FilterJson.array;
import static dev.kiln.segment.FilterJson.assertRejected;
import static dev.kiln.segment.FilterJson.condition;
import static dev.kiln.segment.FilterJson.country;
import static dev.kiln.segment.FilterJson.custom;
import static dev.kiln.segment.FilterJson.customNoValue;
import static dev.kiln.segment.FilterJson.node;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.DATE_FIELDS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.DATE_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.NUMBER_FIELDS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.NUMBER_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.TEXT_FIELDS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.TEXT_OPS;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Standard and custom attributes in the filter language of docs/segments.md, as read by {@link
 * FilterParser}.
 */
class FilterParserAttributeTest {

  @Nested
  class StandardFields {
    @ParameterizedTest
    @MethodSource("dev.kiln.segment.FilterParserAttributeTest#standardFieldsWithValidOps")
    void everyFieldParsesWithAnOperatorOfItsType(
        String field, String op, Object value, ValueType type, Object expected) {
      Filter parsed = FilterParser.parse(node("attribute", field, "op", op, "value", value));

      assertThat(parsed)
          .isEqualTo(
              new Filter.Attribute(
                  field, new Condition(type, Operator.named(op).orElseThrow(), expected)));
    }

    @Test
    void aliasLabelIsText() {
      assertThat(
              FilterParser.parse(
                  node("attribute", "alias_label", "op", "equals", "value", "amplitude_id")))
          .isEqualTo(
              new Filter.Attribute(
                  "alias_label", new Condition(ValueType.TEXT, Operator.EQUALS, "amplitude_id")));
      assertThat(FilterParser.parse(node("attribute", "alias_label", "op", "exists")))
          .isEqualTo(
              new Filter.Attribute(
                  "alias_label", new Condition(ValueType.TEXT, Operator.EXISTS, null)));
    }

    @Test
    void subscriptionStatesAreText() {
      assertThat(
              FilterParser.parse(
                  node("attribute", "email_subscribe", "op", "equals", "value", "opted_in")))
          .isEqualTo(
              new Filter.Attribute(
                  "email_subscribe", new Condition(ValueType.TEXT, Operator.EQUALS, "opted_in")));
    }

    @Test
    void unknownFieldIsNamedWithItsPath() {
      assertRejected(
              node(
                  "and",
                  array(node("attribute", "favourite_color", "op", "equals", "value", "red"))),
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
      assertRejected(json, "filter.op")
          .hasMessageContaining("'greater_than' is not an operator of attribute country");
      assertThat(allowedNames(json)).containsExactlyInAnyOrderElementsOf(TEXT_OPS);
    }

    @Test
    void matchesRegexOnANumberFieldListsTheNumberOperators() {
      Map<String, Object> json =
          node("attribute", "random_bucket", "op", "matches_regex", "value", "1.*");
      assertRejected(json, "filter.op")
          .hasMessageContaining("'matches_regex' is not an operator of attribute random_bucket");
      assertThat(allowedNames(json)).containsExactlyInAnyOrderElementsOf(NUMBER_OPS);
    }

    @Test
    void numberOperatorOnADateFieldListsTheDateOperators() {
      Map<String, Object> json = node("attribute", "created_at", "op", "greater_than", "value", 3);
      assertRejected(json, "filter.op")
          .hasMessageContaining("'greater_than' is not an operator of attribute created_at");
      assertThat(allowedNames(json)).containsExactlyInAnyOrderElementsOf(DATE_OPS);
    }

    @ParameterizedTest
    @MethodSource("dev.kiln.segment.FilterParserAttributeTest#wrongTypeOperators")
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
          .isEqualTo(
              new Filter.Attribute(
                  "country", new Condition(ValueType.TEXT, Operator.NOT_EQUALS, "US")));
    }

    @Test
    void notEqualsOnANumberField() {
      assertThat(FilterParser.parse(node("attribute", "age", "op", "not_equals", "value", 30)))
          .isEqualTo(
              new Filter.Attribute(
                  "age",
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
      assertRejected(
          node("attribute", "random_bucket", "op", "not_equals", "value", "abc"), "filter.value");
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
      cases.add(
          Arguments.of(
              field,
              "between",
              array(0, 10),
              ValueType.NUMBER,
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
          .isEqualTo(
              new Filter.CustomAttribute(
                  "plan", List.of(), new Condition(ValueType.TEXT, Operator.EQUALS, "pro")));
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
      assertThat(condition(FilterParser.parse(custom("not_equals", "pro"))).type())
          .isEqualTo(ValueType.TEXT);
      assertThat(condition(FilterParser.parse(custom("not_equals", 4))).type())
          .isEqualTo(ValueType.NUMBER);
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
      assertThat(condition(FilterParser.parse(custom("greater_than", 10))).type())
          .isEqualTo(ValueType.NUMBER);
    }

    @Test
    void matchesRegexIsText() {
      assertThat(condition(FilterParser.parse(custom("matches_regex", "^p"))).type())
          .isEqualTo(ValueType.TEXT);
    }

    @Test
    void pathReachesIntoANestedObject() {
      Filter parsed =
          FilterParser.parse(
              node(
                  "custom_attribute",
                  "profile",
                  "path",
                  array("address", "city"),
                  "op",
                  "equals",
                  "value",
                  "Paris"));
      assertThat(parsed)
          .isEqualTo(
              new Filter.CustomAttribute(
                  "profile",
                  List.of("address", "city"),
                  new Condition(ValueType.TEXT, Operator.EQUALS, "Paris")));
    }

    @Test
    void noPathOrNullOrEmptyPathIsTheAttributeItself() {
      assertThat(((Filter.CustomAttribute) FilterParser.parse(custom("equals", "pro"))).path())
          .isEmpty();
      assertThat(
              ((Filter.CustomAttribute)
                      FilterParser.parse(
                          node("custom_attribute", "plan", "path", null, "op", "exists")))
                  .path())
          .isEmpty();
      assertThat(
              ((Filter.CustomAttribute)
                      FilterParser.parse(
                          node("custom_attribute", "plan", "path", array(), "op", "exists")))
                  .path())
          .isEmpty();
    }

    @Test
    void pathMustBeAnArrayOfNonEmptyStrings() {
      assertRejected(
              node("custom_attribute", "p", "path", "address.city", "op", "exists"), "filter.path")
          .hasMessageContaining("must be an array");
      assertRejected(
              node("custom_attribute", "p", "path", array("address", 1), "op", "exists"),
              "filter.path[1]")
          .hasMessageContaining("must be a non-empty string");
      assertRejected(
          node("custom_attribute", "p", "path", array(""), "op", "exists"), "filter.path[0]");
    }

    @Test
    void nameMustBeANonEmptyString() {
      assertRejected(node("custom_attribute", "", "op", "exists"), "filter.custom_attribute");
      assertRejected(node("custom_attribute", 7, "op", "exists"), "filter.custom_attribute");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.kiln.segment.FilterParserAttributeTest#customOperators")
    void everyOperatorOfEveryTypeParses(
        String op, Object value, List<ValueType> types, Object expected) {
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
      assertRejected(json, "filter.op")
          .hasMessageContaining("'greater' is not an operator of custom_attribute; use one of");
      List<String> all = Arrays.stream(Operator.values()).map(Operator::jsonName).toList();
      assertThat(allowedNames(json)).containsExactlyInAnyOrderElementsOf(all);
    }

    // -- invalid values

    @Test
    void inWithAnEmptyArray() {
      assertRejected(custom("in", array()), "filter.value")
          .hasMessageContaining("at least one string");
    }

    @Test
    void inWithNonStrings() {
      assertRejected(custom("in", array("a", 1)), "filter.value[1]")
          .hasMessageContaining("must be a non-empty string");
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
      assertRejected(custom("between", array(10, 1)), "filter.value")
          .hasMessageContaining("low must not be above high");
    }

    @Test
    void betweenWithEqualEndsIsInclusive() {
      assertThat(condition(FilterParser.parse(custom("between", array(3, 3)))).value())
          .isEqualTo(new Condition.NumberRange(new BigDecimal("3"), new BigDecimal("3")));
    }

    @Test
    void betweenNeedsTwoNumbers() {
      assertRejected(custom("between", array(1)), "filter.value")
          .hasMessageContaining("[low, high]");
      assertRejected(custom("between", array(1, 2, 3)), "filter.value")
          .hasMessageContaining("[low, high]");
      assertRejected(custom("between", array()), "filter.value");
      assertRejected(custom("between", array("1", 2)), "filter.value[0]")
          .hasMessageContaining("needs a number");
      assertRejected(custom("between", array(1, null)), "filter.value[1]")
          .hasMessageContaining("needs a number");
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
      assertThat(
              condition(FilterParser.parse(custom("after", "2026-01-31T10:00:00+01:00"))).value())
          .isEqualTo(Instant.parse("2026-01-31T09:00:00Z"));
    }

    @Test
    void daysMustBeWholeAndNotNegative() {
      assertRejected(custom("more_than_days_ago", -1), "filter.value");
      assertRejected(custom("more_than_days_ago", 2.5), "filter.value")
          .hasMessageContaining("whole number");
      assertRejected(custom("in_less_than_days", "3"), "filter.value")
          .hasMessageContaining("needs a number");
      assertRejected(customNoValue("less_than_days_ago"), "filter.value");
    }

    @Test
    void zeroDaysAndAWholeValuedDoubleAreAccepted() {
      assertThat(condition(FilterParser.parse(custom("more_than_days_ago", 0))).value())
          .isEqualTo(0);
      assertThat(condition(FilterParser.parse(custom("less_than_days_ago", 3.0))).value())
          .isEqualTo(3);
    }

    @Test
    void sizeMustBeWholeAndNotNegative() {
      assertRejected(custom("size_equals", -1), "filter.value").hasMessageContaining("negative");
      assertRejected(custom("size_greater_than", 1.5), "filter.value")
          .hasMessageContaining("whole number");
      assertRejected(custom("size_less_than", "2"), "filter.value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"matches_regex", "does_not_match_regex", "includes_matching_regex"})
    void invalidRegex(String op) {
      assertRejected(custom(op, "(["), "filter.value")
          .hasMessageContaining("not a valid regular expression");
    }

    @Test
    void regexMustBeAString() {
      assertRejected(custom("matches_regex", 5), "filter.value")
          .hasMessageContaining("must be a non-empty string");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "exists",
          "not_exists",
          "blank",
          "is_true",
          "is_false",
          "is_true_or_not_set",
          "is_false_or_not_set"
        })
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
      assertRejected(custom("equals", true), "filter.value")
          .hasMessageContaining("string or a number");
      assertRejected(custom("not_equals", array("a")), "filter.value");
      assertRejected(customNoValue("equals"), "filter.value");
    }

    @Test
    void numberOperatorsNeedANumber() {
      assertRejected(custom("greater_than", "5"), "filter.value")
          .hasMessageContaining("needs a number");
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
        Arguments.of(
            "between",
            array(1, 10),
            number,
            new Condition.NumberRange(new BigDecimal("1"), new BigDecimal("10"))),
        Arguments.of(
            "between",
            array(-1.5, 2),
            number,
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
}
