package dev.kiln.server.fuzz;

import static dev.kiln.segment.testing.DocumentedFilterLanguage.ARRAY_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.BOOLEAN_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.DATE_FIELDS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.DATE_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.NUMBER_FIELDS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.NUMBER_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.TEXT_FIELDS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.TEXT_OPS;
import static dev.kiln.segment.testing.DocumentedFilterLanguage.activityOps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Segment filters (docs/segments.md): valid ones of every family, and ones with wrong operators,
 * values of the wrong type or range, unknown keys, regexes that do not compile or nest thousands of
 * groups deep, references to unknown or archived segments, and nesting around the 32-level limit.
 * {@code {S0}}, {@code {S1}}, {@code {A}} and {@code {U}} stand for a fixture segment, another one,
 * an archived one and an id no segment has.
 */
final class Filters {
  static final List<String> SEGMENT_REFERENCES = List.of("{S0}", "{S1}", "{A}", "{U}");

  private static final List<String> PURCHASE_OPS =
      List.of(
          "purchased",
          "not_purchased",
          "count_greater_than",
          "first_purchased_before",
          "last_purchased_less_than_days_ago",
          "revenue_greater_than",
          "revenue_greater_than_or_equal",
          "revenue_less_than",
          "revenue_less_than_or_equal",
          "performed");
  private static final List<String> BOGUS_OPS =
      List.of("", "EQUALS", "greater", "in ", "between_", "regex", "$where");

  private static final List<String> REGEXES =
      List.of(
          "^pro",
          "@example\\.com$",
          "(a+)+$",
          "(",
          "[",
          "\\",
          "a{99999999999}",
          "(?<n>x)\\k<n>",
          "\\p{Lu}+",
          "(?i)x",
          "\\bword\\b",
          "[\\w&&[^a]]",
          "(?<=😀)x",
          "\\Qa.b\\E",
          "x{256}",
          "",
          "\ud800",
          "a**",
          "*",
          "[z-a]",
          "(?",
          "\\N{LATIN SMALL LETTER A}",
          "\\x{110000}",
          "\\c",
          "(?=a)*");

  private static final Gen<Doc> PREDICATE = predicate();
  private static final Gen<Doc> VALID =
      Gen.frequency(
          Gen.weight(4, validPredicate()),
          Gen.weight(1, validPredicate().list(0, 3).map(Filters::and)));
  private static final Gen<Doc> EXOTIC =
      Gen.frequency(
          Gen.weight(6, PREDICATE),
          Gen.weight(4, combination(3)),
          Gen.weight(1, deepChain()),
          Gen.weight(1, Exotic.anything()));

  private Filters() {}

  /** Filters the API accepts. */
  static Gen<Doc> valid() {
    return VALID;
  }

  /** Filters of every shape, mostly wrong in some way. */
  static Gen<Doc> exotic() {
    return EXOTIC;
  }

  private static Gen<Doc> validPredicate() {
    return Gen.of(
        List.<Doc>of(
            Doc.Obj.of(
                "attribute",
                Doc.str("country"),
                "op",
                Doc.str("in"),
                "value",
                Doc.Arr.of(Doc.str("US"), Doc.str("CA"))),
            Doc.Obj.of(
                "attribute",
                Doc.str("age"),
                "op",
                Doc.str("between"),
                "value",
                Doc.Arr.of(Doc.num(18), Doc.num(34))),
            Doc.Obj.of(
                "attribute",
                Doc.str("dob"),
                "op",
                Doc.str("before"),
                "value",
                Doc.str("2000-01-01")),
            Doc.Obj.of(
                "custom_attribute",
                Doc.str("plan"),
                "op",
                Doc.str("equals"),
                "value",
                Doc.str("pro")),
            Doc.Obj.of(
                "custom_attribute",
                Doc.str("address"),
                "path",
                Doc.Arr.of(Doc.str("city")),
                "op",
                Doc.str("matches_regex"),
                "value",
                Doc.str("^Par")),
            Doc.Obj.of(
                "custom_event",
                Doc.str("played"),
                "op",
                Doc.str("performed"),
                "in_last_days",
                Doc.num(7),
                "property",
                Doc.Obj.of(
                    "name", Doc.str("source"), "op", Doc.str("equals"), "value", Doc.str("ios"))),
            Doc.Obj.of(
                "purchased_product",
                Doc.str("*"),
                "op",
                Doc.str("revenue_greater_than"),
                "value",
                Doc.num(10)),
            Doc.Obj.of(
                "subscription_group",
                Doc.str("2f9ab73e-0cb5-4e8e-9b4e-4c6e1d5a1f00"),
                "op",
                Doc.str("subscribed")),
            Doc.Obj.of("segment", Doc.str("{S0}"), "op", Doc.str("not_in")),
            Doc.Obj.of("and", Doc.Arr.of()),
            Doc.Obj.of("or", Doc.Arr.of())));
  }

  /** One predicate of any family, its parts each right or wrong. */
  private static Gen<Doc> predicate() {
    return Gen.oneOf(
        familyPredicate(
            "attribute",
            Gen.of(concat(TEXT_FIELDS, List.of("alias_label"), NUMBER_FIELDS, DATE_FIELDS)),
            concat(TEXT_OPS, NUMBER_OPS, DATE_OPS)),
        familyPredicate(
            "custom_attribute",
            Exotic.keys(),
            concat(TEXT_OPS, NUMBER_OPS, DATE_OPS, BOOLEAN_OPS, ARRAY_OPS)),
        familyPredicate("custom_event", Exotic.keys(), activityOps("performed")),
        familyPredicate("purchased_product", Gen.of("*", "sku-1", ""), PURCHASE_OPS),
        familyPredicate(
            "subscription_group",
            Gen.of("2f9ab73e-0cb5-4e8e-9b4e-4c6e1d5a1f00", "x", "a\"b"),
            List.of("subscribed", "unsubscribed")),
        familyPredicate("segment", Gen.of(SEGMENT_REFERENCES), List.of("in", "not_in")));
  }

  private static Gen<Doc> familyPredicate(String family, Gen<String> subjects, List<String> ops) {
    Gen<Doc> subject =
        Gen.frequency(Gen.weight(6, subjects.map(Doc::str)), Gen.weight(1, Exotic.anything()));
    Gen<Doc> op =
        Gen.frequency(
            Gen.weight(6, Gen.of(ops).map(Doc::str)),
            Gen.weight(1, Gen.of(BOGUS_OPS).map(Doc::str)),
            Gen.weight(1, Exotic.scalars()));
    Gen<Optional<Doc>> values = operand().optional(0.85);
    Gen<List<Map.Entry<String, Doc>>> extras =
        Gen.frequency(
            Gen.weight(6, Gen.constant(List.<Map.Entry<String, Doc>>of())),
            Gen.weight(2, windowAndProperty()),
            Gen.weight(1, Exotic.anything().map(path -> List.of(Map.entry("path", path)))),
            Gen.weight(1, Exotic.members().map(List::of)));
    return random -> {
      List<Map.Entry<String, Doc>> members =
          new ArrayList<>(
              List.of(Map.entry(family, subject.next(random)), Map.entry("op", op.next(random))));
      values.next(random).ifPresent(v -> members.add(Map.entry("value", v)));
      members.addAll(extras.next(random));
      return new Doc.Obj(members);
    };
  }

  /** {@code in_last_days} and an event {@code property}, right or wrong. */
  private static Gen<List<Map.Entry<String, Doc>>> windowAndProperty() {
    Gen<Doc> days =
        Gen.frequency(
            Gen.weight(3, Gen.of("1", "7", "3650", "0", "3651", "-1", "1.5", "1e20").map(Doc::num)),
            Gen.weight(1, Exotic.anything()));
    Gen<String> names = Exotic.keys();
    Gen<String> ops = Gen.of(concat(TEXT_OPS, NUMBER_OPS));
    Gen<Doc> operands = operand();
    Gen<Doc> property =
        random ->
            Doc.Obj.of(
                "name",
                Doc.str(names.next(random)),
                "op",
                Doc.str(ops.next(random)),
                "value",
                operands.next(random));
    Gen<Optional<Doc>> windows = days.optional(0.7);
    Gen<Optional<Doc>> conditions = Gen.<Doc>oneOf(property, Exotic.anything()).optional(0.4);
    return random -> {
      List<Map.Entry<String, Doc>> members = new ArrayList<>();
      windows.next(random).ifPresent(d -> members.add(Map.entry("in_last_days", d)));
      conditions.next(random).ifPresent(c -> members.add(Map.entry("property", c)));
      return members;
    };
  }

  /**
   * Values for any operator: strings, numbers, ranges, lists, dates, day counts, regexes, or
   * anything.
   */
  private static Gen<Doc> operand() {
    Gen<Doc> range =
        random -> Doc.Arr.of(Exotic.numbers().next(random), Exotic.numbers().next(random));
    Gen<Doc> texts = Exotic.texts().map(Doc::str).list(0, 3).map(Doc.Arr::new);
    Gen<Doc> regexes =
        Gen.frequency(
                Gen.weight(4, Gen.of(REGEXES)),
                Gen.weight(
                    1,
                    Gen.ints(1_000, 60_000)
                        .map(depth -> "(".repeat(depth) + "a" + ")".repeat(depth))),
                Gen.weight(1, Gen.ints(1_000, 60_000).map("("::repeat)),
                Gen.weight(1, Gen.ints(1_000, 30_000).map(n -> "[a-".repeat(n))),
                Gen.weight(1, Gen.ints(100, 5_000).map(n -> "a?".repeat(n) + "a".repeat(n))))
            .map(Doc::str);
    return Gen.frequency(
        Gen.weight(3, Exotic.texts().map(Doc::str)),
        Gen.weight(3, Exotic.numbers()),
        Gen.weight(2, range),
        Gen.weight(2, texts),
        Gen.weight(3, Exotic.dates().map(Doc::str)),
        Gen.weight(3, regexes),
        Gen.weight(2, Gen.of(SEGMENT_REFERENCES).map(Doc::str)),
        Gen.weight(2, Exotic.anything()));
  }

  /** {@code and}, {@code or} and {@code not} over predicates, {@code depth} levels deep at most. */
  private static Gen<Doc> combination(int depth) {
    Gen<Doc> child =
        depth <= 1
            ? PREDICATE
            : Gen.frequency(Gen.weight(3, PREDICATE), Gen.weight(1, combination(depth - 1)));
    return Gen.oneOf(
        child.list(0, 3).map(Filters::and),
        child.list(0, 3).map(children -> Doc.Obj.of("or", new Doc.Arr(children))),
        child.map(inner -> Doc.Obj.of("not", inner)),
        random -> Doc.Obj.of("not", child.next(random), "and", Exotic.anything().next(random)),
        Exotic.anything().map(items -> Doc.Obj.of("and", items)));
  }

  /** {@code not} and {@code and} around a predicate, 25 to 40 levels: around the 32-level limit. */
  private static Gen<Doc> deepChain() {
    Gen<Integer> depths = Gen.ints(25, 40);
    Gen<Doc> innermost = validPredicate();
    Gen<String> wrappers = Gen.of("not", "and");
    return random -> {
      int depth = depths.next(random);
      Doc filter = innermost.next(random);
      String wrapper = wrappers.next(random);
      for (int i = 0; i < depth; i++) {
        filter = wrapper.equals("not") ? Doc.Obj.of("not", filter) : and(List.of(filter));
      }
      return filter;
    };
  }

  private static Doc and(List<Doc> children) {
    return Doc.Obj.of("and", new Doc.Arr(children));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> list : lists) {
      all.addAll(list);
    }
    return List.copyOf(all);
  }
}
