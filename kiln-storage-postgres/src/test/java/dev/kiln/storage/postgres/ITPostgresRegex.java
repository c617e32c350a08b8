package dev.kiln.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import dev.kiln.segment.Filter;
import dev.kiln.segment.FilterException;
import dev.kiln.segment.FilterParser;
import dev.kiln.segment.SegmentResolver;
import dev.kiln.segment.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segment regexes mean what they mean to Java on every backend (docs/segments.md). PostgreSQL's own
 * engine reads another syntax, so PostgresRegex translates each pattern; here PostgreSQL evaluates
 * the translations of a table of patterns over a table of texts, under every collation at hand (its
 * {@code \w} and {@code \y} follow the locale), and must find exactly what Java finds. A pattern it
 * cannot translate exactly is refused as INVALID_INPUT naming the regular expression, before any
 * SQL runs; one that PostgreSQL still refuses is INVALID_INPUT too, never the store being
 * unavailable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ITPostgresRegex {
  private static final SegmentResolver NO_SEGMENTS = id -> Optional.empty();

  /** Each construct PostgresRegex translates, and some it lets through as they are. */
  private static final List<String> PATTERNS =
      List.of(
          "\\bAna\\b",
          "\\bAn",
          "na\\b",
          "\\Bna",
          "a\\B",
          "caf\\b",
          "Jos\\B",
          "\\bJose\\b",
          "e\\b",
          "\\w\\b",
          "\\b\\W",
          "\\b_",
          "\\b\\d",
          "(?:\\b\\w+\\b\\s*){2}",
          "\\w",
          "^\\w+$",
          "\\W",
          "^\\W+$",
          "\\w+son$",
          "\\d",
          "^\\d+$",
          "\\D",
          "\\s",
          "\\S",
          "^\\S+$",
          "a\\sb",
          "[\\w-]+$",
          "^[\\w.]+$",
          "[\\d\\s]",
          "[^\\d]",
          "[^\\w\\s]",
          "[^\\s]$",
          ".",
          "^.$",
          "^.{3,5}$",
          "a.b",
          "^.*$",
          "e.$",
          "line$",
          "line\\Z",
          "line\\z",
          "\\n$",
          "\\r$",
          "\\r\\n$",
          "^line.$",
          "$",
          "^$",
          "\\Aline",
          "\\A.",
          "^(|A)na",
          "\\xe9",
          "\\x41",
          "\\u00e9",
          "\\x{1F600}",
          "\\uD83D\\uDE00",
          "[\\x{1F600}]",
          "\\0101",
          "\\t",
          "\\n",
          "\\r",
          "\\f",
          "\\e",
          "\\a",
          "\\cH",
          "\\x{0B}",
          "\\x{85}",
          "\\u2028",
          "[\\u00e0-\\u00ff]",
          "[é-ñ]",
          "[😀-🙏]",
          "a\\.b",
          "\\(",
          "\\[x\\]",
          "[]a]",
          "[^]a]",
          "\\{\\}",
          "}",
          "]",
          "a\\^b",
          "\\$",
          "\\\\",
          "[a-]",
          "[-a]",
          "[!--]",
          "[\\^]",
          "[x^]",
          "[a&b]",
          "(?:An|Han)na",
          "(An)+a",
          "A(?=n)",
          "A(?!n)",
          "(?<=A)n",
          "(?<!A)n",
          "(?<=\\bA)n",
          "a*?b",
          "n+?",
          "a??b",
          "n{2}",
          "n{1,2}a",
          "(?:an){2,}",
          "(?:)",
          "()",
          "a|",
          "_\\w",
          "ß",
          "Ω",
          "٣",
          "\\u00A0",
          "[\\u2000-\\u200A]",
          "\\u0301",
          "[^a-z]",
          "[ -~]+$",
          "^[^\\x00-\\x7F]+$");

  private static final List<String> TEXTS =
      List.of(
          "Ana",
          "ana",
          "Anabel",
          "Hanna",
          "Ana Lopez",
          "café",
          "cafe",
          "Élodie",
          "straße",
          "Ωmega",
          "x٣y",
          "123",
          "١٢٣",
          "a_b",
          "_x",
          "a-b",
          "a.b",
          "a\u00A0b",
          "a\u2003b",
          "a\tb",
          "a b",
          "line\n",
          "line\r\n",
          "line\r",
          "line\u2028",
          "line\u0085",
          "line\u2029",
          "a\nb",
          "a\r\nb",
          "a\u2028b",
          "\n",
          "\r\n",
          "",
          "back\bspace",
          "\u000B",
          "\f",
          "\u001B",
          "\u0007",
          "Jose\u0301",
          "Jose\u0301 x",
          "e\u0301",
          "é\u0301",
          "\u0301a",
          "x😀y",
          "😀",
          "a😀",
          "Wilson",
          "Johnson\n",
          "A1",
          "ñ",
          "n\u0303",
          "{}",
          "[x]",
          "a^b",
          "$",
          "\\",
          "-",
          "&",
          "!");

  private String url;
  private PostgresStorage storage;

  @BeforeAll
  void openWithOneUser() {
    url = PostgresTestServer.shared().newDatabase();
    storage = PostgresStorage.newBuilder(url).build();
    storage.migrate();
    // PostgreSQL compiles a regex when it first matches a value, so there must be a value to match.
    assertThat(
            storage
                .profileWriter()
                .apply(
                    List.of(
                        new ProfileChange(
                            new UserLookup.ExternalId("ana"),
                            true,
                            new AttributesUpdate(
                                Map.of("first_name", "Ana"),
                                Map.of(),
                                Map.of(
                                    "tags",
                                    CustomAttributeOp.Set.ofArray(List.of("alpha", "beta"))),
                                false)))))
        .containsExactly(ChangeResult.CREATED);
  }

  @AfterAll
  void close() {
    if (storage != null) {
      storage.close();
    }
  }

  private static Filter attributeMatching(String regex) {
    return FilterParser.parse(
        Map.of("attribute", "first_name", "op", "matches_regex", "value", regex));
  }

  private static Filter arrayElementMatching(String regex) {
    return FilterParser.parse(
        Map.of("custom_attribute", "tags", "op", "includes_matching_regex", "value", regex));
  }

  @Test
  void regexesBothEnginesAcceptAreEvaluated() {
    assertThat(
            storage
                .segmentQueries()
                .count(attributeMatching("^A[a-z]+$"), NO_SEGMENTS, Instant.now()))
        .isEqualTo(1);
    assertThat(
            storage.segmentQueries().count(arrayElementMatching("^b"), NO_SEGMENTS, Instant.now()))
        .isEqualTo(1);
    assertThat(
            storage
                .segmentQueries()
                .count(attributeMatching("\\bAna\\b"), NO_SEGMENTS, Instant.now()))
        .isEqualTo(1);
    assertThat(
            storage
                .segmentQueries()
                .count(arrayElementMatching("^\\w{4}$"), NO_SEGMENTS, Instant.now()))
        .isEqualTo(1);
  }

  /**
   * Through the SQL the dialect writes for a segment (the short form of \b for texts without marks
   * included), and the translation for every text alone, against Pattern.find() for every pair.
   */
  @Test
  void postgresFindsWhatJavaFindsForEveryPatternAndText() throws SQLException {
    List<String> mismatches = new ArrayList<>();
    int pairs = 0;
    try (Connection connection = DriverManager.getConnection(url)) {
      for (String collation : collations(connection)) {
        for (String pattern : PATTERNS) {
          List<boolean[]> found = find(connection, collation, pattern);
          for (int t = 0; t < TEXTS.size(); t++) {
            boolean java = Pattern.compile(pattern).matcher(TEXTS.get(t)).find();
            pairs++;
            if (found.get(t)[0] != java || found.get(t)[1] != java) {
              mismatches.add(
                  String.format(
                      "%s on %s under %s: Java %s, PostgreSQL %s (segment SQL) and %s (translation)",
                      pattern,
                      escaped(TEXTS.get(t)),
                      collation,
                      java,
                      found.get(t)[0],
                      found.get(t)[1]));
            }
          }
        }
      }
    }
    assertThat(mismatches).as("of %d pairs", pairs).isEmpty();
    assertThat(pairs).isGreaterThanOrEqualTo(2 * PATTERNS.size() * TEXTS.size());
  }

  /**
   * Why the table runs under several collations: untranslated, PostgreSQL's {@code \w} and {@code
   * \y} follow the locale.
   */
  @Test
  void untranslatedShorthandsFollowTheLocale() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      List<String> collations = collations(connection);
      assumeTrue(collations.size() > 2, "this PostgreSQL has no UTF-8 or ICU collation");
      String unicode = collations.get(2);
      assertThat(matches(connection, "é", "\\w", "C")).isFalse();
      assertThat(matches(connection, "é", "\\w", unicode)).isTrue();
      assertThat(matches(connection, "é", PostgresRegex.translate("\\w", true), unicode)).isFalse();
      assertThat(matches(connection, "café", "caf\\y", unicode)).isFalse();
      assertThat(matches(connection, "café", PostgresRegex.translate("caf\\b", true), unicode))
          .isTrue();
    }
  }

  /**
   * Each is valid Java that PostgresRegex refuses: PostgreSQL cannot evaluate it the way Java does.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"(?<name>A)", "\\p{L}", "A++", "\\QAna\\E", "(?i)ana", "(A)\\1", "[a-z&&[^b]]"})
  void regexPostgresCannotEvaluateTheSameWayIsInvalidInputBeforeAnySql(String regex) {
    // Parsed here, outside the assertions: FilterParser compiles the regex with java.util.regex and
    // would refuse it.
    Filter onAttribute = attributeMatching(regex);
    Filter onArray = arrayElementMatching(regex);
    Instant now = Instant.now();

    for (ThrowingCallable query :
        List.<ThrowingCallable>of(
            () -> storage.segmentQueries().count(onAttribute, NO_SEGMENTS, now),
            () ->
                storage.segmentQueries().members(onAttribute, NO_SEGMENTS, now, Long.MIN_VALUE, 10),
            () -> storage.segmentQueries().count(onArray, NO_SEGMENTS, now))) {
      assertThatThrownBy(query)
          .as("regex %s", regex)
          .isInstanceOfSatisfying(
              FilterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
          .hasMessageContaining("the regular expression '" + regex + "' uses ")
          .hasMessageContaining("which PostgreSQL cannot evaluate the way Java does")
          .hasNoCause();
    }
  }

  /**
   * Translated, yet more than PostgreSQL compiles ("regular expression is too complex"): the safety
   * net.
   */
  @Test
  void regexPostgresStillRejectsIsInvalidInputNamingTheRegularExpression() {
    String regex = "(?:a{255}){255}";
    Filter onAttribute = attributeMatching(regex);
    Filter onArray = arrayElementMatching(regex);
    Instant now = Instant.now();

    assertRejected(
        regex, "count", () -> storage.segmentQueries().count(onAttribute, NO_SEGMENTS, now));
    assertRejected(
        regex,
        "members",
        () -> storage.segmentQueries().members(onAttribute, NO_SEGMENTS, now, Long.MIN_VALUE, 10));
    assertRejected(
        regex,
        "count (array element)",
        () -> storage.segmentQueries().count(onArray, NO_SEGMENTS, now));
  }

  private static void assertRejected(String regex, String call, ThrowingCallable query) {
    assertThatThrownBy(query)
        .as("%s with regex %s", call, regex)
        .isInstanceOf(KilnException.class)
        .satisfies(
            e ->
                assertThat(((KilnException) e).code())
                    .as("error code of %s with regex %s", call, regex)
                    .isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageContaining("regular expression")
        .cause()
        .as("cause of %s with regex %s: PostgreSQL's invalid regular expression", call, regex)
        .isInstanceOfSatisfying(
            SQLException.class, sql -> assertThat(sql.getSQLState()).isEqualTo("2201B"));
  }

  /** The database's default, C, and the first ICU and UTF-8 libc collations if there are any. */
  private static List<String> collations(Connection connection) throws SQLException {
    List<String> collations = new ArrayList<>(List.of("default", "C"));
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                """
        SELECT (SELECT collname FROM pg_collation WHERE collname = 'und-x-icu'),
               (SELECT min(CAST(collname AS text)) FROM pg_collation WHERE collprovider = 'c' AND collctype ILIKE '%utf%8%'
                  AND collencoding IN (-1, pg_char_to_encoding('UTF8')))""")) {
      rows.next();
      for (int column = 1; column <= 2; column++) {
        if (rows.getString(column) != null) {
          collations.add(rows.getString(column));
        }
      }
    }
    return collations;
  }

  /**
   * For each text: whether the dialect's SQL for a segment finds the pattern, and whether the
   * translation alone does.
   */
  private static List<boolean[]> find(Connection connection, String collation, String pattern)
      throws SQLException {
    Sql condition = new PostgresSegmentDialect().matchesRegex(new Sql("u.t", List.of()), pattern);
    String sql =
        "SELECT "
            + condition.text()
            + ", u.t ~ CAST(? AS text) FROM (SELECT t COLLATE \""
            + collation
            + "\" AS t, o FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS texts(t, o)) AS u ORDER BY u.o";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int parameter = 1;
      for (Object value : condition.parameters()) {
        statement.setObject(parameter++, value);
      }
      statement.setString(parameter++, PostgresRegex.translate(pattern, true));
      statement.setArray(parameter, connection.createArrayOf("text", TEXTS.toArray()));
      List<boolean[]> found = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          found.add(new boolean[] {rows.getBoolean(1), rows.getBoolean(2)});
        }
      }
      return found;
    }
  }

  private static boolean matches(Connection connection, String text, String are, String collation)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT CAST(? AS text) COLLATE \"" + collation + "\" ~ CAST(? AS text)")) {
      statement.setString(1, text);
      statement.setString(2, are);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  private static String escaped(String text) {
    StringBuilder escaped = new StringBuilder("\"");
    text.codePoints()
        .forEach(
            c ->
                escaped.append(
                    c < 0x20 || c > 0x7E ? String.format("\\u%04X", c) : Character.toString(c)));
    return escaped.append('"').toString();
  }
}
