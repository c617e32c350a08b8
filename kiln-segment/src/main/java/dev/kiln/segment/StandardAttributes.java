package dev.kiln.segment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Standard attributes: columns of {@code users}, fields of the document, alias labels, and age. */
final class StandardAttributes {
  private static final Set<String> TEXT_COLUMNS =
      Set.of("external_id", "braze_id", "email", "phone");

  private StandardAttributes() {}

  static Sql condition(FilterCompiler compiler, Filter.Attribute attribute) {
    SqlDialect dialect = compiler.dialect();
    Condition condition = attribute.condition();
    String field = attribute.field();
    if (TEXT_COLUMNS.contains(field)) {
      Sql column = column("u." + field);
      Sql present = Sql.of(column, " IS NOT NULL");
      return compiler.text(present, present, column, condition);
    }
    return switch (field) {
      case "random_bucket" ->
          presence(
              dialect,
              Sql.of("u.random_bucket IS NOT NULL"),
              condition,
              () ->
                  compiler.number(
                      Sql.of("u.random_bucket IS NOT NULL"), column("u.random_bucket"), condition));
      case "created_at" ->
          presence(
              dialect,
              Sql.of("u.created_at IS NOT NULL"),
              condition,
              () ->
                  compiler.date(
                      Sql.of("u.created_at IS NOT NULL"),
                      column("u.created_at"),
                      condition,
                      Instant::toEpochMilli));
      case "total_revenue" ->
          compiler.valueCondition(compiler.document("total_revenue"), condition);
      case "dob" -> {
        JsonRef dob = compiler.document("attributes", "dob");
        yield presence(
            dialect,
            dialect.present(dob),
            condition,
            () ->
                compiler.date(
                    dialect.isText(dob),
                    dialect.text(dob),
                    condition,
                    time -> LocalDate.ofInstant(time, ZoneOffset.UTC).toString()));
      }
      case "age" ->
          presence(
              dialect,
              dialect.present(compiler.document("attributes", "dob")),
              condition,
              () -> age(compiler, condition));
      case "alias_label" -> aliasLabel(compiler, condition);
      default -> compiler.valueCondition(compiler.document("attributes", field), condition);
    };
  }

  private static Sql column(String name) {
    return new Sql(name, List.of());
  }

  private static Sql presence(
      SqlDialect dialect, Sql present, Condition condition, Supplier<Sql> otherwise) {
    return switch (condition.op()) {
      case EXISTS -> present;
      case NOT_EXISTS -> dialect.not(present);
      default -> otherwise.get();
    };
  }

  /**
   * Age in whole years from {@code dob} ("YYYY-MM-DD"), compared through dates: age >= n exactly
   * when dob <= today minus n years, so no function of the database computes ages.
   */
  private static Sql age(FilterCompiler compiler, Condition condition) {
    SqlDialect dialect = compiler.dialect();
    Sql dob = dialect.text(compiler.document("attributes", "dob"));
    Sql isText = dialect.isText(compiler.document("attributes", "dob"));
    LocalDate today = compiler.today();
    return switch (condition.op()) {
      case GREATER_THAN_OR_EQUAL -> atLeast(isText, dob, today, ceil(condition.value()));
      case GREATER_THAN -> atLeast(isText, dob, today, floor(condition.value()) + 1);
      case LESS_THAN_OR_EQUAL -> atMost(isText, dob, today, floor(condition.value()));
      case LESS_THAN -> atMost(isText, dob, today, ceil(condition.value()) - 1);
      case EQUALS -> exactly(isText, dob, today, (BigDecimal) condition.value(), dialect);
      case NOT_EQUALS ->
          dialect.not(exactly(isText, dob, today, (BigDecimal) condition.value(), dialect));
      case BETWEEN -> {
        Condition.NumberRange range = (Condition.NumberRange) condition.value();
        yield Sql.of(
            atLeast(isText, dob, today, ceil(range.low())),
            " AND ",
            atMost(isText, dob, today, floor(range.high())));
      }
      default -> throw FilterCompiler.unsupported(condition);
    };
  }

  private static Sql exactly(
      Sql isText, Sql dob, LocalDate today, BigDecimal age, SqlDialect dialect) {
    if (age.stripTrailingZeros().scale() > 0) {
      return dialect.alwaysFalse(); // nobody is 30.5 years old in whole years
    }
    return Sql.of(
        atLeast(isText, dob, today, age.longValue()),
        " AND ",
        atMost(isText, dob, today, age.longValue()));
  }

  private static Sql atLeast(Sql isText, Sql dob, LocalDate today, long years) {
    return Sql.of(isText, " AND ", dob, " <= ", Sql.value(today.minusYears(years).toString()));
  }

  private static Sql atMost(Sql isText, Sql dob, LocalDate today, long years) {
    return Sql.of(isText, " AND ", dob, " > ", Sql.value(today.minusYears(years + 1).toString()));
  }

  private static long ceil(Object value) {
    return ((BigDecimal) value).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  private static long floor(Object value) {
    return ((BigDecimal) value).setScale(0, RoundingMode.FLOOR).longValueExact();
  }

  /** Labels of the user's aliases: positive operators ask whether some alias matches. */
  private static Sql aliasLabel(FilterCompiler compiler, Condition condition) {
    SqlDialect dialect = compiler.dialect();
    Sql label = column("a.alias_label");
    Sql anyAlias = Sql.of("EXISTS (SELECT 1 FROM user_aliases a WHERE a.user_id = u.user_id)");
    return switch (condition.op()) {
      case EXISTS -> anyAlias;
      case NOT_EXISTS, BLANK -> dialect.not(anyAlias);
      case NOT_EQUALS ->
          dialect.not(
              someAlias(
                  compiler.text(
                      label,
                      Sql.of("1 = 1"),
                      label,
                      new Condition(ValueType.TEXT, Operator.EQUALS, condition.value()))));
      case DOES_NOT_MATCH_REGEX ->
          dialect.not(
              someAlias(
                  compiler.text(
                      label,
                      Sql.of("1 = 1"),
                      label,
                      new Condition(ValueType.TEXT, Operator.MATCHES_REGEX, condition.value()))));
      default -> someAlias(compiler.text(label, Sql.of("1 = 1"), label, condition));
    };
  }

  private static Sql someAlias(Sql labelCondition) {
    return Sql.of(
        "EXISTS (SELECT 1 FROM user_aliases a WHERE a.user_id = u.user_id AND (",
        labelCondition,
        "))");
  }
}
