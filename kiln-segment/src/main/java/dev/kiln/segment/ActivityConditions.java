package dev.kiln.segment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Custom events and purchases, over their raw rows ({@code custom_events e}, {@code purchases p}),
 * so windows and property filters see every occurrence. A purchase of quantity n counts n times.
 */
final class ActivityConditions {
  private static final long DAY_MILLIS = 86_400_000L;

  private ActivityConditions() {}

  static Sql condition(FilterCompiler compiler, Filter.Activity activity) {
    SqlDialect dialect = compiler.dialect();
    Sql rows = rows(compiler, activity);
    String alias = activity.purchase() ? "p" : "e";
    ActivityOperator op = activity.op();
    return switch (op) {
      case DONE -> Sql.of("EXISTS (SELECT 1 ", rows, ")");
      case NOT_DONE -> dialect.not(Sql.of("EXISTS (SELECT 1 ", rows, ")"));
      case COUNT_EQUALS -> Sql.of(count(activity, rows), " = ", Sql.value(activity.value()));
      case COUNT_GREATER_THAN -> Sql.of(count(activity, rows), " > ", Sql.value(activity.value()));
      case COUNT_GREATER_THAN_OR_EQUAL ->
          Sql.of(count(activity, rows), " >= ", Sql.value(activity.value()));
      case COUNT_LESS_THAN -> Sql.of(count(activity, rows), " < ", Sql.value(activity.value()));
      case COUNT_LESS_THAN_OR_EQUAL ->
          Sql.of(count(activity, rows), " <= ", Sql.value(activity.value()));
      case FIRST_BEFORE -> Sql.of(time("MIN", alias, rows), " < ", millis(activity.value()));
      case FIRST_AFTER -> Sql.of(time("MIN", alias, rows), " > ", millis(activity.value()));
      case LAST_BEFORE -> Sql.of(time("MAX", alias, rows), " < ", millis(activity.value()));
      case LAST_AFTER -> Sql.of(time("MAX", alias, rows), " > ", millis(activity.value()));
      case FIRST_MORE_THAN_DAYS_AGO ->
          moreThanDaysAgo(compiler, time("MIN", alias, rows), activity);
      case FIRST_LESS_THAN_DAYS_AGO ->
          lessThanDaysAgo(compiler, time("MIN", alias, rows), activity);
      case LAST_MORE_THAN_DAYS_AGO -> moreThanDaysAgo(compiler, time("MAX", alias, rows), activity);
      case LAST_LESS_THAN_DAYS_AGO -> lessThanDaysAgo(compiler, time("MAX", alias, rows), activity);
      case REVENUE_GREATER_THAN ->
          Sql.of(revenue(dialect, rows), " > ", Sql.value(activity.value()));
      case REVENUE_GREATER_THAN_OR_EQUAL ->
          Sql.of(revenue(dialect, rows), " >= ", Sql.value(activity.value()));
      case REVENUE_LESS_THAN -> Sql.of(revenue(dialect, rows), " < ", Sql.value(activity.value()));
      case REVENUE_LESS_THAN_OR_EQUAL ->
          Sql.of(revenue(dialect, rows), " <= ", Sql.value(activity.value()));
    };
  }

  /** {@code FROM ... WHERE ...}: the user's occurrences of the event or product, in the window. */
  private static Sql rows(FilterCompiler compiler, Filter.Activity activity) {
    List<Object> parts = new ArrayList<>();
    if (activity.purchase()) {
      parts.add("FROM purchases p WHERE p.user_id = u.user_id");
      if (activity.subject() != null) {
        parts.add(" AND p.product_id = ");
        parts.add(Sql.value(activity.subject()));
      }
    } else {
      parts.add("FROM custom_events e WHERE e.user_id = u.user_id AND e.name = ");
      parts.add(Sql.value(activity.subject()));
    }
    String alias = activity.purchase() ? "p" : "e";
    if (activity.inLastDays() != null) {
      parts.add(" AND " + alias + ".time >= ");
      parts.add(Sql.value(compiler.now().toEpochMilli() - activity.inLastDays() * DAY_MILLIS));
    }
    if (activity.property() != null) {
      JsonRef property =
          JsonRef.of(alias + ".properties", compiler.addressable(activity.property().name()));
      parts.add(" AND (");
      parts.add(compiler.valueCondition(property, activity.property().condition()));
      parts.add(")");
    }
    return Sql.of(parts.toArray());
  }

  private static Sql count(Filter.Activity activity, Sql rows) {
    return activity.purchase()
        ? Sql.of("(SELECT COALESCE(SUM(p.quantity), 0) ", rows, ")")
        : Sql.of("(SELECT COUNT(*) ", rows, ")");
  }

  private static Sql time(String aggregate, String alias, Sql rows) {
    return Sql.of("(SELECT " + aggregate + "(" + alias + ".time) ", rows, ")");
  }

  private static Sql revenue(SqlDialect dialect, Sql rows) {
    Sql sum = dialect.revenueSum(new Sql("p.price", List.of()), new Sql("p.quantity", List.of()));
    return Sql.of("(SELECT COALESCE(", sum, ", 0) ", rows, ")");
  }

  private static Sql millis(Object time) {
    return Sql.value(((Instant) time).toEpochMilli());
  }

  private static Sql moreThanDaysAgo(FilterCompiler compiler, Sql time, Filter.Activity activity) {
    return Sql.of(
        time, " < ", Sql.value(compiler.now().toEpochMilli() - days(activity) * DAY_MILLIS));
  }

  private static Sql lessThanDaysAgo(FilterCompiler compiler, Sql time, Filter.Activity activity) {
    return Sql.of(
        time, " > ", Sql.value(compiler.now().toEpochMilli() - days(activity) * DAY_MILLIS));
  }

  private static long days(Filter.Activity activity) {
    return ((Number) activity.value()).longValue();
  }
}
