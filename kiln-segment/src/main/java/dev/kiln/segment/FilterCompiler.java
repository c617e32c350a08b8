package dev.kiln.segment;

import dev.kiln.core.track.BrazeTimes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles a {@link Filter} to one SQL condition over {@code users u}, with parameters. Relative
 * dates are fixed at {@code now}, the time of the query. Every name and value is a parameter.
 */
public final class FilterCompiler {
  /**
   * Segments a query may inline, counting those they refer to: segments referring to one another in
   * a diamond (A uses B twice, B uses C twice...) would otherwise double the query at each level.
   */
  static final int MAX_SEGMENT_REFERENCES = 100;

  /**
   * Costly predicates a query may hold, counting the segments it refers to [INF]: a regular
   * expression runs on every user's text, an event or purchase condition reads every user's raw
   * rows, so each multiplies the work per user where other predicates only read the profile.
   */
  static final int MAX_COSTLY_PREDICATES = 50;

  private final SqlDialect dialect;
  private final SegmentResolver segments;
  private final Instant now;
  private final Set<String> segmentsBeingCompiled = new HashSet<>();
  private int segmentReferences;
  private int costlyPredicates;

  private FilterCompiler(SqlDialect dialect, SegmentResolver segments, Instant now) {
    this.dialect = dialect;
    this.segments = segments;
    this.now = now;
  }

  public static CompiledFilter compile(
      Filter filter, SqlDialect dialect, SegmentResolver segments, Instant now) {
    Sql sql = new FilterCompiler(dialect, segments, now).filter(filter);
    return new CompiledFilter(
        sql.text(), sql.parameters().stream().map(dialect::parameter).toList());
  }

  private Sql filter(Filter filter) {
    return switch (filter) {
      case Filter.And and ->
          and.filters().isEmpty()
              ? dialect.alwaysTrue()
              : Sql.balanced(compileAll(and.filters()), " AND ");
      case Filter.Or or ->
          or.filters().isEmpty()
              ? dialect.alwaysFalse()
              : Sql.balanced(compileAll(or.filters()), " OR ");
      case Filter.Not not -> dialect.not(filter(not.filter()));
      case Filter.Attribute attribute -> StandardAttributes.condition(this, attribute);
      case Filter.CustomAttribute custom -> customAttribute(custom);
      case Filter.Activity activity -> {
        costly();
        yield ActivityConditions.condition(this, activity);
      }
      case Filter.SubscriptionGroup group -> subscriptionGroup(group);
      case Filter.Segment segment -> segment(segment);
    };
  }

  private List<Sql> compileAll(List<Filter> filters) {
    return filters.stream().map(this::filter).toList();
  }

  /**
   * A value in the profile document (kiln-storage-jdbc's ProfileDocumentCodec) of {@code users u}.
   */
  JsonRef document(String... keys) {
    JsonRef ref = JsonRef.of("u.profile", keys);
    for (String key : keys) {
      addressable(key);
    }
    return ref;
  }

  /**
   * Refuses, clearly, a key the database cannot address (SQLite: a key with a quote or backslash).
   */
  String addressable(String key) {
    if (!dialect.canAddress(key)) {
      throw new FilterException(
          "filter",
          "'" + key + "' cannot be filtered on in this store: it holds a quote or backslash");
    }
    return key;
  }

  private Sql customAttribute(Filter.CustomAttribute custom) {
    JsonRef value = document("custom_attributes", addressable(custom.name()));
    for (String step : custom.path()) {
      value = value.child(addressable(step));
    }
    return valueCondition(value, custom.condition());
  }

  private Sql subscriptionGroup(Filter.SubscriptionGroup group) {
    JsonRef state = document("attributes", "subscription_groups", addressable(group.groupId()));
    Sql subscribed =
        Sql.of(dialect.isText(state), " AND ", dialect.text(state), " = ", Sql.value("subscribed"));
    return group.subscribed() ? subscribed : dialect.not(subscribed);
  }

  private Sql segment(Filter.Segment reference) {
    if (++segmentReferences > MAX_SEGMENT_REFERENCES) {
      throw new FilterException(
          "filter",
          "refers to segments more than "
              + MAX_SEGMENT_REFERENCES
              + " times, counting the segments they refer to");
    }
    if (!segmentsBeingCompiled.add(reference.segmentId())) {
      throw new FilterException(
          "filter",
          "segment '" + reference.segmentId() + "' refers to itself through other segments");
    }
    Filter referenced =
        segments
            .filterOf(reference.segmentId())
            .orElseThrow(
                () ->
                    new FilterException(
                        "filter",
                        "segment '" + reference.segmentId() + "' does not exist or is archived"));
    Sql condition = filter(referenced);
    segmentsBeingCompiled.remove(reference.segmentId());
    return reference.in() ? condition : dialect.not(condition);
  }

  /** A condition on a JSON value, typed by the condition (docs/segments.md). */
  Sql valueCondition(JsonRef ref, Condition condition) {
    if (condition.op() == Operator.EXISTS) {
      return dialect.present(ref);
    }
    if (condition.op() == Operator.NOT_EXISTS) {
      return dialect.not(dialect.present(ref));
    }
    return switch (condition.type()) {
      case TEXT -> text(dialect.present(ref), dialect.isText(ref), dialect.text(ref), condition);
      case NUMBER -> number(dialect.isNumber(ref), dialect.number(ref), condition);
      case BOOLEAN -> bool(ref, condition);
      case DATE -> date(dialect.isTime(ref), dialect.timeText(ref), condition);
      case ARRAY -> array(ref, condition);
    };
  }

  /**
   * Text operators. {@code present} is true where there is a value at all, {@code isText} where it
   * is text, and {@code value} is the text.
   */
  Sql text(Sql present, Sql isText, Sql value, Condition condition) {
    return switch (condition.op()) {
      case EQUALS -> Sql.of(isText, " AND ", value, " = ", Sql.value(condition.value()));
      case NOT_EQUALS ->
          dialect.not(Sql.of(isText, " AND ", value, " = ", Sql.value(condition.value())));
      case IN ->
          Sql.of(
              isText,
              " AND ",
              value,
              " IN (",
              Sql.join(((List<?>) condition.value()).stream().map(Sql::value).toList(), ", "),
              ")");
      case MATCHES_REGEX -> Sql.of(isText, " AND ", matchesRegex(value, condition));
      case DOES_NOT_MATCH_REGEX ->
          dialect.not(Sql.of(isText, " AND ", matchesRegex(value, condition)));
      case BLANK -> Sql.of(dialect.not(present), " OR (", isText, " AND TRIM(", value, ") = '')");
      case EXISTS -> present;
      case NOT_EXISTS -> dialect.not(present);
      default -> throw unsupported(condition);
    };
  }

  private Sql matchesRegex(Sql text, Condition condition) {
    costly();
    return dialect.matchesRegex(text, (String) condition.value());
  }

  private void costly() {
    if (++costlyPredicates > MAX_COSTLY_PREDICATES) {
      throw new FilterException(
          "filter",
          "holds more than "
              + MAX_COSTLY_PREDICATES
              + " regular expressions and event or "
              + "purchase conditions, counting the segments it refers to; each is evaluated for every user");
    }
  }

  /** Number operators; {@code isNumber} is true where there is a number at all. */
  Sql number(Sql isNumber, Sql value, Condition condition) {
    Sql comparison =
        switch (condition.op()) {
          case EQUALS, NOT_EQUALS -> Sql.of(value, " = ", Sql.value(condition.value()));
          case GREATER_THAN -> Sql.of(value, " > ", Sql.value(condition.value()));
          case GREATER_THAN_OR_EQUAL -> Sql.of(value, " >= ", Sql.value(condition.value()));
          case LESS_THAN -> Sql.of(value, " < ", Sql.value(condition.value()));
          case LESS_THAN_OR_EQUAL -> Sql.of(value, " <= ", Sql.value(condition.value()));
          case BETWEEN -> {
            Condition.NumberRange range = (Condition.NumberRange) condition.value();
            yield Sql.of(
                value, " BETWEEN ", Sql.value(range.low()), " AND ", Sql.value(range.high()));
          }
          default -> throw unsupported(condition);
        };
    Sql matched = Sql.of(isNumber, " AND ", comparison);
    return condition.op() == Operator.NOT_EQUALS ? dialect.not(matched) : matched;
  }

  private Sql bool(JsonRef ref, Condition condition) {
    return switch (condition.op()) {
      case IS_TRUE -> dialect.isTrue(ref);
      case IS_FALSE -> dialect.isFalse(ref);
      case IS_TRUE_OR_NOT_SET ->
          Sql.of(dialect.not(dialect.present(ref)), " OR ", dialect.isTrue(ref));
      case IS_FALSE_OR_NOT_SET ->
          Sql.of(dialect.not(dialect.present(ref)), " OR ", dialect.isFalse(ref));
      default -> throw unsupported(condition);
    };
  }

  /**
   * Date operators on fixed-width ISO-8601 UTC text, which compares correctly as text: more than N
   * days ago is before now - N days; less than N days ago is after it and not in the future; in
   * more than N days is after now + N days; in less than N days is from now to then.
   */
  Sql date(Sql isTime, Sql time, Condition condition) {
    return date(isTime, time, condition, FilterCompiler::iso);
  }

  /**
   * Date operators on a time stored as {@code stored} makes it (ISO text, epoch milliseconds, a
   * day).
   */
  Sql date(Sql isTime, Sql time, Condition condition, Function<Instant, Object> stored) {
    Sql comparison =
        switch (condition.op()) {
          case BEFORE -> Sql.of(time, " < ", Sql.value(stored.apply((Instant) condition.value())));
          case AFTER -> Sql.of(time, " > ", Sql.value(stored.apply((Instant) condition.value())));
          case MORE_THAN_DAYS_AGO ->
              Sql.of(time, " < ", Sql.value(stored.apply(daysFromNow(-days(condition)))));
          case LESS_THAN_DAYS_AGO ->
              Sql.of(
                  time,
                  " > ",
                  Sql.value(stored.apply(daysFromNow(-days(condition)))),
                  " AND ",
                  time,
                  " <= ",
                  Sql.value(stored.apply(now)));
          case IN_MORE_THAN_DAYS ->
              Sql.of(time, " > ", Sql.value(stored.apply(daysFromNow(days(condition)))));
          case IN_LESS_THAN_DAYS ->
              Sql.of(
                  time,
                  " >= ",
                  Sql.value(stored.apply(now)),
                  " AND ",
                  time,
                  " < ",
                  Sql.value(stored.apply(daysFromNow(days(condition)))));
          default -> throw unsupported(condition);
        };
    return Sql.of(isTime, " AND ", comparison);
  }

  private Sql array(JsonRef node, Condition condition) {
    Sql isArray = dialect.isArray(node);
    return switch (condition.op()) {
      case INCLUDES -> Sql.of(isArray, " AND ", includes(node, condition.value()));
      case DOES_NOT_INCLUDE ->
          dialect.not(Sql.of(isArray, " AND ", includes(node, condition.value())));
      case INCLUDES_MATCHING_REGEX ->
          Sql.of(
              isArray,
              " AND ",
              dialect.anyArrayElement(
                  node,
                  element ->
                      Sql.of(element.isText(), " AND ", matchesRegex(element.text(), condition))));
      case SIZE_EQUALS ->
          Sql.of(isArray, " AND ", dialect.arrayLength(node), " = ", Sql.value(condition.value()));
      case SIZE_GREATER_THAN ->
          Sql.of(isArray, " AND ", dialect.arrayLength(node), " > ", Sql.value(condition.value()));
      case SIZE_LESS_THAN ->
          Sql.of(isArray, " AND ", dialect.arrayLength(node), " < ", Sql.value(condition.value()));
      default -> throw unsupported(condition);
    };
  }

  /**
   * An element equal to {@code value} in JSON type too: the number 1 is not {@code true}, nor "1".
   */
  private Sql includes(JsonRef node, Object value) {
    return dialect.anyArrayElement(
        node,
        element ->
            switch (value) {
              case Boolean truth -> truth ? element.isTrue() : element.isFalse();
              case String text ->
                  Sql.of(element.isText(), " AND ", element.text(), " = ", Sql.value(text));
              default ->
                  Sql.of(element.isNumber(), " AND ", element.number(), " = ", Sql.value(value));
            });
  }

  SqlDialect dialect() {
    return dialect;
  }

  Instant now() {
    return now;
  }

  LocalDate today() {
    return LocalDate.ofInstant(now, ZoneOffset.UTC);
  }

  Instant daysFromNow(long days) {
    return now.plus(days, ChronoUnit.DAYS);
  }

  static long days(Condition condition) {
    return ((Number) condition.value()).longValue();
  }

  static String iso(Instant time) {
    return BrazeTimes.format(time);
  }

  static IllegalStateException unsupported(Condition condition) {
    return new IllegalStateException(
        "the parser lets no " + condition.op() + " on " + condition.type() + " through");
  }
}
