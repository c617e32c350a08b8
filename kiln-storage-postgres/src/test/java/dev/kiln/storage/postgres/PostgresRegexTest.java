package dev.kiln.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ErrorCode;
import dev.kiln.segment.FilterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What PostgresRegex writes; ITPostgresRegex shows that PostgreSQL then finds what Java finds. */
class PostgresRegexTest {
  private static final String WORD = "[a-zA-Z_0-9]";
  private static final String DOLLAR =
      "(?:$|(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])$)(?!(?<=\\r)\\n$))";
  private static final String BOUNDARY =
      "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))";

  private static String translate(String pattern) {
    return PostgresRegex.translate(pattern, false);
  }

  /** Java pattern | ARE, with '¦' for the column separator in patterns that hold a comma. */
  @ParameterizedTest(name = "{0}  ->  {1}")
  @CsvSource(
      delimiter = '¦',
      quoteCharacter = '"',
      textBlock =
          """
      Ana                  ¦ Ana
      ^A[a-z]+             ¦ ^A[a-z]+
      \\d+\\D              ¦ [0-9]+[^0-9]
      \\w\\W               ¦ [a-zA-Z_0-9][^a-zA-Z_0-9]
      \\s\\S               ¦ [ \\t\\n\\u000B\\f\\r][^ \\t\\n\\u000B\\f\\r]
      [\\w-]               ¦ [a-zA-Z_0-9\\-]
      [^\\d.\\s]           ¦ [^0-9. \\t\\n\\u000B\\f\\r]
      []a]                 ¦ [\\]a]
      [^]^a-]              ¦ [^\\]\\^a\\-]
      [a&b!--]             ¦ [a&b!-\\-]
      [\\x41-\\x5A\\\\]    ¦ [A-Z\\\\]
      a.c                  ¦ a[^\\n\\r\\u0085\\u2028\\u2029]c
      \\xe9\\u00E9\\x{1F600}\\0101\\N{LATIN SMALL LETTER A} ¦ éé😀Aa
      \\t\\n\\r\\f\\a\\e\\cA ¦ \\u0009\\u000A\\u000D\\u000C\\u0007\\u001B\\u0001
      \\uD83D\\uDE00       ¦ 😀
      \\.\\(\\[\\{\\*\\-\\#\\é ¦ \\.\\(\\[\\{\\*-#é
      a]}                  ¦ a\\]\\}
      (?:An|Han)+?a*?b??   ¦ (?:An|Han)+?a*?b??
      "(a){2,3}b{2,}c{0}"  ¦ "(a){2,3}b{2,}c{0}"
      x(?=y)(?!z)(?<=x)(?<!w) ¦ x(?=y)(?!z)(?<=x)(?<!w)
      \\Aa\\z              ¦ \\Aa\\Z
      """)
  void translatesToTheSameMatches(String java, String are) {
    assertThat(translate(java)).isEqualTo(are);
  }

  @Test
  void dollarAndBackslashZAreJavasEndOrBeforeAFinalLineTerminator() {
    assertThat(translate("son$")).isEqualTo("son" + DOLLAR);
    assertThat(translate("son\\Z")).isEqualTo("son" + DOLLAR);
  }

  @Test
  void wordBoundariesAreAsciiLookaroundsForTextsWithoutMarks() {
    assertThat(translate("\\bAna\\b")).isEqualTo(BOUNDARY + "Ana" + BOUNDARY);
    assertThat(translate("a\\Bn"))
        .isEqualTo("a(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))n");
  }

  @Test
  void wordBoundariesForTextsWithMarksLookAtTheBaseOfACombiningMark() {
    String are = PostgresRegex.translate("\\bAna\\b", true);

    assertThat(are)
        .startsWith("(?:(?<=[")
        .contains("\\u0300-\\u036F", "\\U0001D167-\\U0001D169")
        .endsWith(BOUNDARY + ")");
    assertThat(PostgresRegex.MAY_HOLD_MARKS).isEqualTo("[^\\u0000-\\u02FF]");
    assertThat(PostgresRegex.translate("^A[a-z]+$", true))
        .as("no boundary: the same for every text")
        .isEqualTo(translate("^A[a-z]+$"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(?<!a)n",
        "\\Bna",
        "^(?!.*test)",
        "foo(?!bar)",
        "(?<=@)example",
        "(a|b){2}",
        "(a?)+",
        "x\\B.",
        "^\\B.",
        "(?:(?<=\\w)\\w){2}"
      })
  void acceptsWhatMeansTheSame(String java) {
    assertThat(translate(java)).isNotEmpty();
  }

  /** Java pattern | what the message names | the construct it quotes. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '¦',
      quoteCharacter = '"',
      textBlock =
          """
      (?<name>A)          ¦ a named group                      ¦ (?<name>
      (?i)ana             ¦ inline flags                       ¦ (?i)
      a(?i:n)a            ¦ inline flags                       ¦ (?i:
      A++                 ¦ a possessive quantifier            ¦ ++
      "A{2,3}+"           ¦ a possessive quantifier            ¦ "{2,3}+"
      (a)\\1              ¦ a back-reference                   ¦ \\1
      (?<n>a)\\k<n>       ¦ a named group                      ¦ (?<n>
      \\p{L}              ¦ a Unicode property or class        ¦ \\p
      [\\P{L}a]           ¦ a Unicode property or class        ¦ \\P
      \\QAna\\E           ¦ quoting                            ¦ \\Q
      [a-z&&[^b]]         ¦ a class intersection               ¦ &&
      [a[b]]              ¦ a class inside a class             ¦ [
      [\\W-]              ¦ a negated shorthand inside a class ¦ \\W
      \\h\\v              ¦ a Java-only escape                 ¦ \\h
      a\\R                ¦ a Java-only escape                 ¦ \\R
      \\X                 ¦ a Java-only escape                 ¦ \\X
      \\Ga                ¦ a Java-only escape                 ¦ \\G
      \\b{g}              ¦ a grapheme cluster boundary        ¦ \\b{
      (?>a)               ¦ an atomic group                    ¦ (?>
      ^*a                 ¦ a quantifier on an anchor          ¦ *
      "a{2}{3}"           ¦ a quantifier on an anchor          ¦ "{3}"
      (?=a)?b             ¦ a quantifier on an anchor          ¦ ?
      "a{256}"            ¦ a repetition count above 255       ¦ "{256}"
      "(a?){2}"           ¦ a repetition of at least 2 of a group that can match the empty string ¦ "{2}"
      "(^|x){2,}y"        ¦ a repetition of at least 2         ¦ "{2,}"
      (?<=.)a             ¦ a lookbehind that can match a character outside the BMP ¦ .
      a(?<![^b])          ¦ a lookbehind that can match a character outside the BMP ¦ [^b]
      (?<!a).$            ¦ a test that holds inside a character outside the BMP ¦ (?<!
      \\B                 ¦ a test that holds inside a character outside the BMP ¦ \\B
      (?!^)(?!$)          ¦ a test that holds inside a character outside the BMP ¦ ^
      [\\u0000-\\uFFFF]   ¦ a range over the surrogates        ¦ \\u0000-\\uFFFF
      \\uD800             ¦ a lone surrogate                   ¦ \\uD800
      """)
  void refusesWhatPostgresCannotEvaluateTheSameWay(String java, String what, String construct) {
    assertThatThrownBy(() -> translate(java))
        .isInstanceOfSatisfying(
            FilterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageStartingWith("filter: the regular expression '" + java + "' uses " + what)
        .hasMessageContaining("('" + construct + "')")
        .hasMessageEndingWith(
            "which PostgreSQL cannot evaluate the way Java does; this store refuses it "
                + "(docs/segments.md, Regular expressions)");
  }

  @Test
  void refusesALoneSurrogateInThePatternText() {
    assertThatThrownBy(() -> translate("a\uD800"))
        .isInstanceOf(FilterException.class)
        .hasMessageContaining("a lone surrogate");
  }
}
