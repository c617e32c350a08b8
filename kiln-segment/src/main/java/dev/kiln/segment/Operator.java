package dev.kiln.segment;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Attribute operators (docs/segments.md, "Operators by type"), with the types and value each takes.
 */
public enum Operator {
  EQUALS("equals", Operand.SCALAR, ValueType.TEXT, ValueType.NUMBER),
  NOT_EQUALS("not_equals", Operand.SCALAR, ValueType.TEXT, ValueType.NUMBER),
  IN("in", Operand.TEXT_LIST, ValueType.TEXT),
  MATCHES_REGEX("matches_regex", Operand.REGEX, ValueType.TEXT),
  DOES_NOT_MATCH_REGEX("does_not_match_regex", Operand.REGEX, ValueType.TEXT),
  BLANK("blank", Operand.NONE, ValueType.TEXT),
  EXISTS("exists", Operand.NONE, ValueType.TEXT, ValueType.NUMBER, ValueType.DATE),
  NOT_EXISTS("not_exists", Operand.NONE, ValueType.TEXT, ValueType.NUMBER, ValueType.DATE),
  GREATER_THAN("greater_than", Operand.NUMBER, ValueType.NUMBER),
  GREATER_THAN_OR_EQUAL("greater_than_or_equal", Operand.NUMBER, ValueType.NUMBER),
  LESS_THAN("less_than", Operand.NUMBER, ValueType.NUMBER),
  LESS_THAN_OR_EQUAL("less_than_or_equal", Operand.NUMBER, ValueType.NUMBER),
  BETWEEN("between", Operand.NUMBER_RANGE, ValueType.NUMBER),
  IS_TRUE("is_true", Operand.NONE, ValueType.BOOLEAN),
  IS_FALSE("is_false", Operand.NONE, ValueType.BOOLEAN),
  IS_TRUE_OR_NOT_SET("is_true_or_not_set", Operand.NONE, ValueType.BOOLEAN),
  IS_FALSE_OR_NOT_SET("is_false_or_not_set", Operand.NONE, ValueType.BOOLEAN),
  BEFORE("before", Operand.TIME, ValueType.DATE),
  AFTER("after", Operand.TIME, ValueType.DATE),
  MORE_THAN_DAYS_AGO("more_than_days_ago", Operand.DAYS, ValueType.DATE),
  LESS_THAN_DAYS_AGO("less_than_days_ago", Operand.DAYS, ValueType.DATE),
  IN_MORE_THAN_DAYS("in_more_than_days", Operand.DAYS, ValueType.DATE),
  IN_LESS_THAN_DAYS("in_less_than_days", Operand.DAYS, ValueType.DATE),
  INCLUDES("includes", Operand.SCALAR, ValueType.ARRAY),
  DOES_NOT_INCLUDE("does_not_include", Operand.SCALAR, ValueType.ARRAY),
  INCLUDES_MATCHING_REGEX("includes_matching_regex", Operand.REGEX, ValueType.ARRAY),
  SIZE_EQUALS("size_equals", Operand.WHOLE, ValueType.ARRAY),
  SIZE_GREATER_THAN("size_greater_than", Operand.WHOLE, ValueType.ARRAY),
  SIZE_LESS_THAN("size_less_than", Operand.WHOLE, ValueType.ARRAY);

  /** What an operator's {@code value} must be. */
  public enum Operand {
    NONE,
    SCALAR,
    TEXT_LIST,
    REGEX,
    NUMBER,
    NUMBER_RANGE,
    TIME,
    DAYS,
    WHOLE
  }

  private final String jsonName;
  private final Operand operand;

  @SuppressWarnings("ImmutableEnumChecker") // set in the constructor, never changed
  private final Set<ValueType> types;

  Operator(String jsonName, Operand operand, ValueType first, ValueType... others) {
    this.jsonName = jsonName;
    this.operand = operand;
    this.types = EnumSet.of(first, others);
  }

  public String jsonName() {
    return jsonName;
  }

  public Operand operand() {
    return operand;
  }

  public boolean appliesTo(ValueType type) {
    return types.contains(type);
  }

  static Optional<Operator> named(String name) {
    return Arrays.stream(values()).filter(op -> op.jsonName.equals(name)).findFirst();
  }
}
