package dev.kiln.segment;

import java.util.Arrays;
import java.util.Optional;

/**
 * Operators on custom events and purchases. Their JSON names say "performed" for events and
 * "purchased" for purchases: {@code last_performed_before}, {@code last_purchased_before}.
 */
public enum ActivityOperator {
  DONE("%s", Operator.Operand.NONE, true),
  NOT_DONE("not_%s", Operator.Operand.NONE, true),
  COUNT_EQUALS("count_equals", Operator.Operand.WHOLE, true),
  COUNT_GREATER_THAN("count_greater_than", Operator.Operand.WHOLE, true),
  COUNT_GREATER_THAN_OR_EQUAL("count_greater_than_or_equal", Operator.Operand.WHOLE, true),
  COUNT_LESS_THAN("count_less_than", Operator.Operand.WHOLE, true),
  COUNT_LESS_THAN_OR_EQUAL("count_less_than_or_equal", Operator.Operand.WHOLE, true),
  FIRST_BEFORE("first_%s_before", Operator.Operand.TIME, false),
  FIRST_AFTER("first_%s_after", Operator.Operand.TIME, false),
  LAST_BEFORE("last_%s_before", Operator.Operand.TIME, false),
  LAST_AFTER("last_%s_after", Operator.Operand.TIME, false),
  FIRST_MORE_THAN_DAYS_AGO("first_%s_more_than_days_ago", Operator.Operand.DAYS, false),
  FIRST_LESS_THAN_DAYS_AGO("first_%s_less_than_days_ago", Operator.Operand.DAYS, false),
  LAST_MORE_THAN_DAYS_AGO("last_%s_more_than_days_ago", Operator.Operand.DAYS, false),
  LAST_LESS_THAN_DAYS_AGO("last_%s_less_than_days_ago", Operator.Operand.DAYS, false),
  REVENUE_GREATER_THAN("revenue_greater_than", Operator.Operand.NUMBER, true),
  REVENUE_GREATER_THAN_OR_EQUAL("revenue_greater_than_or_equal", Operator.Operand.NUMBER, true),
  REVENUE_LESS_THAN("revenue_less_than", Operator.Operand.NUMBER, true),
  REVENUE_LESS_THAN_OR_EQUAL("revenue_less_than_or_equal", Operator.Operand.NUMBER, true);

  private final String pattern;
  private final Operator.Operand operand;
  private final boolean windowed;

  ActivityOperator(String pattern, Operator.Operand operand, boolean windowed) {
    this.pattern = pattern;
    this.operand = operand;
    this.windowed = windowed;
  }

  /** The JSON name for events ({@code "performed"}) or purchases ({@code "purchased"}). */
  public String jsonName(String verb) {
    return pattern.contains("%s") ? pattern.formatted(verb) : pattern;
  }

  public Operator.Operand operand() {
    return operand;
  }

  /** Whether {@code in_last_days} may restrict it. */
  public boolean windowed() {
    return windowed;
  }

  public boolean isRevenue() {
    return name().startsWith("REVENUE_");
  }

  static Optional<ActivityOperator> named(String name, String verb) {
    return Arrays.stream(values()).filter(op -> op.jsonName(verb).equals(name)).findFirst();
  }
}
