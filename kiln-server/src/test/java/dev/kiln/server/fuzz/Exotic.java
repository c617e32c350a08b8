package dev.kiln.server.fuzz;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Values meant to break a JSON API: wrong types, numbers at and past every limit, strings of every
 * kind of unicode trouble and of boundary lengths, dates a parser may choke on, keys Braze forbids,
 * operators in the wrong place, and nesting around the server's 64-level limit. Every generator
 * here draws from the random source it is given only, so a try's seed and number reproduce it.
 */
final class Exotic {
  /** Over a hundred kilobytes; only ever one per value, so bodies stay within the body limit. */
  static Gen<String> hugeTexts() {
    Gen<String> units = Gen.of("x", "😀", "\ud800");
    Gen<Integer> counts = Gen.ints(10_000, 120_000);
    return random -> units.next(random).repeat(counts.next(random));
  }

  /** Texts a human would pick to break things: unicode corners, SQL, regex, JSON lookalikes. */
  private static final List<String> NASTY_TEXTS =
      List.of(
          "",
          " ",
          "\t",
          "\n",
          "null",
          "true",
          "0",
          "-1",
          "{}",
          "[]",
          "'",
          "\"",
          "\\",
          "%",
          "_",
          "%_%",
          "*",
          "😀",
          "👩‍👩‍👧‍👦",
          "🇫🇷",
          "e\u0301",
          "\u202eevil",
          "مرحبا",
          "שלום",
          "漢字",
          "\u200b",
          "\ufeff",
          "\uffff",
          "\ufffd",
          "\u2028",
          "\u0085",
          "\u007f",
          "\u0001",
          "\u001f",
          "\ud800",
          "\udfff",
          "\udc00\ud800",
          "a\ud83dz",
          "'; DROP TABLE users; --",
          "\" OR 1=1 --",
          "$1",
          "?",
          ":name",
          "\\x00",
          "%00",
          "\\u0000",
          "(a+)+$",
          "(",
          "[",
          "\\",
          "a{99999999999}",
          "(?<n>x)\\k<n>",
          "\\p{Lu}",
          "(?i)x",
          "^$",
          ".*",
          "$time",
          "$add",
          "$remove",
          "$update",
          "$new_object",
          "$identifier_key",
          "inc",
          "add",
          "remove",
          "a.b",
          "a b",
          "$x",
          "__proto__",
          "constructor",
          "undefined",
          "NaN",
          "Infinity",
          "opted_in",
          "subscribed",
          "unsubscribed",
          "M",
          "f",
          "X",
          "US",
          "Australia",
          "Narnia",
          "en",
          "xx",
          "America/New_York",
          "UTC",
          "+01:00",
          "Mars/Olympus",
          "USD",
          "usd",
          "XXX",
          "a@b.co",
          "not-an-email",
          "@",
          "a@b",
          "+15555550100",
          "https://127.0.0.1/x");

  private static final List<String> NUMBER_LITERALS =
      List.of(
          "0",
          "-0",
          "0.0",
          "-0.0",
          "1",
          "-1",
          "1.5",
          "0.1",
          "100",
          "101",
          "1E2",
          "1e+2",
          "1.0",
          "2.5e1",
          "25",
          "26",
          "50",
          "51",
          "75",
          "76",
          "255",
          "256",
          "500",
          "501",
          "987",
          "988",
          "3650",
          "3651",
          "36500",
          "36501",
          "2147483647",
          "2147483648",
          "-2147483649",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "18446744073709551616",
          "1e308",
          "1.7976931348623157e308",
          "1.8e308",
          "1e309",
          "-1e309",
          "1e999999",
          "-1e999999",
          "1e-999999",
          "4.9e-324",
          "1e-400",
          "123456789012345678901234567890.123456789");

  /** Not JSON numbers at all: each makes its body malformed. */
  private static final List<String> BROKEN_NUMBERS =
      List.of(
          "NaN",
          "Infinity",
          "-Infinity",
          "01",
          "+1",
          ".5",
          "1.",
          "1e",
          "--1",
          "0x10",
          "1_000",
          "١٢٣",
          "1e+",
          "-");

  private static final List<String> DATES =
      List.of(
          "2021-03-04",
          "12/1/2021",
          "12-01-2021",
          "2021-03-04 05:06:07",
          "2021-03-04T05:06:07:123Z",
          "2021-03-04T05:06:07+1:00",
          "Tue Dec 01 10:00:00 UTC 2021",
          "2021-03-04T05:06:07.123456789Z",
          "2999-01-01T00:00:00Z",
          "0000-01-01",
          "-0001-01-01",
          "3000-12-31T23:59:59Z",
          "3001-01-01",
          "9999-12-31",
          "10000-01-01",
          "99999-01-01",
          "999999999-12-31",
          "1000000000-01-01",
          "2147483647-01-01",
          "2147483648-01-01",
          "12345678901-01-01",
          "-99999999999-01-01",
          "2021-02-30",
          "2021-13-01",
          "2021-00-10",
          "2021-01-32",
          "2021-01-01T24:00:00Z",
          "2021-01-01T23:60:00Z",
          "2021-01-01T00:00:00+25:00",
          "2021-01-01T00:00:00+99:99",
          "2021-01-01T00:00:00-18:01",
          "99/99/9999",
          "00/00/0000",
          "13/13/2021",
          "Mon Feb 30 10:00:00 UTC 2021",
          "Tue Dec 01 10:00:00 XYZ 2021",
          "2021-1-1",
          "2021-01-01T1:2",
          "+2021-01-01",
          "2021-01-01T00:00:00.0000000000Z",
          "2021-01-01T99:99:99Z",
          "2021-01-01T00:00:00+1",
          "2021-01-01T00:00:00-123",
          "2021-01-01T00:00:00+12345",
          "1970-01-01T00:00:00Z");

  private static final List<String> KEYS =
      List.of(
          "",
          " ",
          ".",
          "$",
          "a.b",
          "$foo",
          "a b",
          "time",
          "event_name",
          "inc",
          "add",
          "remove",
          "$add",
          "$remove",
          "$update",
          "$time",
          "_merge_objects",
          "_update_existing_only",
          "push_token_import",
          "external_id",
          "braze_id",
          "user_alias",
          "email",
          "phone",
          "first_name",
          "last_name",
          "home_city",
          "dob",
          "gender",
          "country",
          "language",
          "time_zone",
          "current_location",
          "email_subscribe",
          "push_subscribe",
          "subscription_groups",
          "facebook",
          "twitter",
          "push_tokens",
          "date_of_first_session",
          "marked_email_as_spam_at",
          "email_open_tracking_disabled",
          "alias_name",
          "alias_label",
          "__proto__",
          "api_key",
          "name",
          "properties",
          "price",
          "quantity",
          "currency",
          "product_id",
          "app_id",
          "filter",
          "segment_id",
          "tags",
          "description",
          "fields_to_export",
          "ünïcödé",
          "😀",
          "\ud800",
          "\u0001",
          "k".repeat(255),
          "k".repeat(256));

  private static final Gen<String> TEXT = text();
  private static final Gen<String> KEY =
      Gen.frequency(
          Gen.weight(4, Gen.of(KEYS)),
          Gen.weight(3, Gen.strings(Gen.chars(Gen.ALPHA + Gen.DIGITS + "_"), 1, 10)),
          Gen.weight(1, TEXT));
  private static final Gen<Doc> NUMBER = number();
  private static final Gen<Doc> SCALAR = scalar();
  private static final Gen<Doc> VALUE = value(3);
  private static final Gen<Doc> ANYTHING =
      Gen.frequency(
          Gen.weight(600, SCALAR),
          Gen.weight(300, VALUE),
          Gen.weight(50, deeplyNested()),
          Gen.weight(50, operator(1)),
          Gen.weight(1, hugeTexts().map(Doc::str)));

  private Exotic() {}

  /** Any value at all, mostly scalars, sometimes nested, operators, or nested past 64 levels. */
  static Gen<Doc> anything() {
    return ANYTHING;
  }

  static Gen<String> texts() {
    return TEXT;
  }

  static Gen<Doc> numbers() {
    return NUMBER;
  }

  static Gen<Doc> scalars() {
    return SCALAR;
  }

  /**
   * Names for attributes, properties and fields: forbidden characters, reserved and standard names,
   * unicode.
   */
  static Gen<String> keys() {
    return KEY;
  }

  /** A member with an exotic name ({@link #keys}) and any value ({@link #anything}). */
  static Gen<Map.Entry<String, Doc>> members() {
    return random -> Map.entry(KEY.next(random), ANYTHING.next(random));
  }

  /** The right kind of value three times in four, anything otherwise. */
  static Gen<Doc> or(Gen<? extends Doc> usual) {
    return Gen.frequency(Gen.weight(3, usual), Gen.weight(1, ANYTHING));
  }

  /** Date and time strings: every accepted form, and the ones that are almost dates. */
  static Gen<String> dates() {
    Gen<String> instants =
        Gen.longs(0, 4_102_444_800_000L) // 1970 to 2100
            .map(millis -> Instant.ofEpochMilli(millis).toString());
    Gen<Integer> years = Gen.ints(-20_000, 20_000);
    Gen<Integer> months = Gen.ints(0, 13);
    Gen<Integer> days = Gen.ints(0, 32);
    Gen<String> shaped =
        random ->
            "%04d-%02d-%02d".formatted(years.next(random), months.next(random), days.next(random));
    Gen<String> longYears = Gen.strings(Gen.chars(Gen.DIGITS), 5, 22).map(year -> year + "-01-01");
    return Gen.frequency(
        Gen.weight(4, instants),
        Gen.weight(6, Gen.of(DATES)),
        Gen.weight(2, shaped),
        Gen.weight(1, longYears));
  }

  /** A JSON value nested 40 to 90 levels deep, around the server's limit of 64. */
  static Gen<Doc> deeplyNested() {
    Gen<Integer> depths = Gen.ints(40, 90);
    Gen<String> openers = Gen.of("[", "{\"a\":");
    return random -> {
      int depth = depths.next(random);
      String open = openers.next(random);
      return new Doc.Raw(open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth));
    };
  }

  /**
   * Braze's operators, in and out of place: {@code inc}, {@code add}/{@code remove}, {@code
   * $add}..., {@code $time}.
   */
  static Gen<Doc> operator(int depth) {
    Gen<Doc> operand = depth <= 0 ? SCALAR : value(depth - 1);
    Gen<String> identifierKeys = Gen.of("id", "type", "", "$x");
    Gen<Doc.Obj> match =
        random ->
            Doc.Obj.of(
                "$identifier_key",
                Doc.str(identifierKeys.next(random)),
                "$identifier_value",
                operand.next(random));
    Gen<Doc> update = random -> match.next(random).with("$new_object", operand.next(random));
    return Gen.oneOf(
        operand.map(by -> Doc.Obj.of("inc", by)),
        random -> Doc.Obj.of("inc", operand.next(random), "extra", operand.next(random)),
        random -> Doc.Obj.of("add", operand.next(random), "remove", operand.next(random)),
        operand.map(add -> Doc.Obj.of("add", add)),
        operand.map(items -> Doc.Obj.of("$add", items)),
        match.list(0, 3).map(items -> Doc.Obj.of("$remove", new Doc.Arr(List.copyOf(items)))),
        update.list(0, 3).map(items -> Doc.Obj.of("$update", new Doc.Arr(items))),
        Gen.<Doc>oneOf(dates().map(Doc::str), operand).map(time -> Doc.Obj.of("$time", time)),
        random -> Doc.Obj.of("$add", operand.next(random), "$time", operand.next(random)));
  }

  private static Gen<String> text() {
    Gen<String> units = Gen.of("a", "é", "漢", "😀", "\u0301", " ");
    Gen<Integer> counts = Gen.of(254, 255, 256, 987, 988, 1000, 2049, 4096);
    Gen<String> boundaryLengths = random -> units.next(random).repeat(counts.next(random));
    return Gen.frequency(
        Gen.weight(10, Gen.strings(Gen.chars(Gen.ALPHA + Gen.DIGITS), 0, 12)),
        Gen.weight(4, Gen.strings(Gen.chars(Character.MIN_VALUE, Character.MAX_VALUE), 0, 12)),
        Gen.weight(2, Gen.strings(Gen.chars('\ud800', '\udfff'), 1, 4)),
        Gen.weight(2, Gen.strings(Gen.chars('\u0000', '\u001f'), 1, 3)),
        Gen.weight(8, Gen.of(NASTY_TEXTS)),
        Gen.weight(3, boundaryLengths),
        Gen.weight(3, dates()));
  }

  private static Gen<Doc> number() {
    BigInteger limit = BigInteger.TEN.pow(400);
    Gen<String> digits = Gen.strings(Gen.chars(Gen.DIGITS), 1, 400);
    Gen<String> hugeIntegers =
        Gen.frequency( // -10^400 to 10^400, of any number of digits
            Gen.weight(
                20,
                random ->
                    new BigInteger((random.nextBoolean() ? "-" : "") + digits.next(random))
                        .toString()),
            Gen.weight(1, Gen.of(limit.toString(), limit.negate().toString())));
    Gen<String> tooManyDigits = Gen.ints(1001, 1500).map("9"::repeat);
    return Gen.frequency(
            Gen.weight(5, Gen.ints(-1000, 1000).map(String::valueOf)),
            Gen.weight(3, Gen.anyLong().map(String::valueOf)),
            Gen.weight(3, Gen.anyDouble().map(String::valueOf)),
            Gen.weight(2, hugeIntegers),
            Gen.weight(6, Gen.of(NUMBER_LITERALS)),
            Gen.weight(1, Gen.of(BROKEN_NUMBERS)),
            Gen.weight(1, tooManyDigits))
        .map(Doc::num);
  }

  private static Gen<Doc> scalar() {
    return Gen.frequency(
        Gen.weight(6, TEXT.map(Doc::str)),
        Gen.weight(4, NUMBER),
        Gen.weight(1, Gen.of(true, false).map(Doc::bool)),
        Gen.weight(1, Gen.constant(Doc.nul())));
  }

  /** Any JSON value up to {@code depth} levels of arrays and objects. */
  private static Gen<Doc> value(int depth) {
    if (depth <= 0) {
      return scalar();
    }
    Gen<Doc> inner = value(depth - 1);
    Gen<Doc> shortScalar =
        Gen.oneOf(
            Gen.anyInt().map(Doc::num), Gen.strings(Gen.chars(Gen.ALPHA), 0, 8).map(Doc::str));
    Gen<Doc> array =
        Gen.frequency(Gen.weight(8, inner.list(0, 4)), Gen.weight(1, shortScalar.list(24, 30)))
            .map(items -> new Doc.Arr(items));
    Gen<Map.Entry<String, Doc>> member =
        random -> Map.entry(keys().next(random), inner.next(random));
    Gen<Doc> object = member.list(0, 4).map(members -> new Doc.Obj(members));
    return Gen.frequency(
        Gen.weight(6, scalar()),
        Gen.weight(2, array),
        Gen.weight(3, object),
        Gen.weight(1, operator(depth - 1)));
  }
}
