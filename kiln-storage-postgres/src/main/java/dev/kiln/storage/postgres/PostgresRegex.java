package dev.kiln.storage.postgres;

import dev.kiln.segment.FilterException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A segment's regular expression means what it means to Java ({@code java.util.regex}, no flags, a
 * match anywhere in the text: docs/segments.md). PostgreSQL's {@code ~} reads its own syntax
 * (advanced regular expressions, AREs), which shares most of Java's but not all: {@code \b} is a
 * backspace there, {@code .} matches a newline, {@code $} is the very end only, and {@code \w},
 * {@code \d}, {@code \s} and {@code \y} follow the database's locale where Java's are ASCII. This
 * translates a Java pattern to an ARE with exactly the same matches, writing such constructs out in
 * locale-free ARE, and refuses with a {@link FilterException} (a 400, before any SQL runs) every
 * construct it cannot translate exactly: a clear refusal is acceptable, a count that silently
 * differs from SQLite's is not.
 *
 * <p>One pass over the pattern's code points, following Java's grammar (Pattern.sequence, clazz,
 * range, escape); the pattern is valid Java, FilterParser has checked it.
 */
final class PostgresRegex {
  /** Java's {@code \w}, {@code \d} and {@code \s} without UNICODE_CHARACTER_CLASS: ASCII only. */
  private static final String WORD = "a-zA-Z_0-9";

  private static final String DIGIT = "0-9";
  private static final String SPACE = " \\t\\n\\u000B\\f\\r";

  /** Java's {@code .} matches anything but its line terminators. */
  private static final String DOT = "[^\\n\\r\\u0085\\u2028\\u2029]";

  /**
   * Java's {@code $} and {@code \Z} without MULTILINE (Pattern.Dollar): the end of the text, or
   * before a line terminator that ends it, {@code \r\n} being one terminator (so never between its
   * \r and \n). PostgreSQL's {@code $} is the end only.
   */
  private static final String DOLLAR =
      "(?:$|(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])$)(?!(?<=\\r)\\n$))";

  /*
   * Java's \b (Pattern.Bound, ASCII since JDK 19) sees a word character on one side if that character
   * is in [a-zA-Z_0-9], or is a non-spacing mark (Mn) with a base: walking back over BMP marks, the
   * first other character is a BMP letter or digit (Character.isLetterOrDigit); on the left, only a
   * BMP mark counts. PostgreSQL's \y takes the locale's word characters instead (é, under UTF-8).
   * With BASE = "the text before here ends with a base and BMP marks" (the same test for a mark on
   * either side), a side is a word character if it is in WORD or a mark under BASE, in WORD otherwise.
   * The classes come from this JVM's Character data, the data Java matches with on SQLite.
   */
  private static final String MARK = ranges(PostgresRegex::isMark);
  private static final String MARK_BMP = ranges(c -> c <= 0xFFFF && isMark(c));
  private static final String BASE =
      "[" + ranges(c -> c <= 0xFFFF && Character.isLetterOrDigit(c)) + "][" + MARK_BMP + "]*";

  /**
   * Finds the texts that can hold a non-spacing mark: those with a character from the first one
   * (U+0300) up. Written out with marks, \b is long and slow to evaluate; other texts need only
   * WORD.
   */
  static final String MAY_HOLD_MARKS =
      "[^\\u0000-"
          + escaped(
              IntStream.rangeClosed(0, 0xFFFF)
                      .filter(PostgresRegex::isMark)
                      .findFirst()
                      .orElseThrow()
                  - 1)
          + "]";

  /** PostgreSQL's largest bound {m,n} (DUPMAX); Java has no such limit. */
  private static final int MAX_REPETITION = 255;

  private final String pattern;
  private final int[] p;
  private final boolean marks;
  private final StringBuilder out = new StringBuilder();
  private int i;
  private final Deque<Group> groups = new ArrayDeque<>();
  private int lookbehinds;

  /**
   * Whether what was written last takes a quantifier (Java also quantifies anchors, and nothing).
   */
  private boolean quantifiable;

  /**
   * Whether this point can be reached without consuming a character from the start of the innermost
   * group (so that group can match the empty string), and from a match started inside a character
   * without passing an anchor (see insideACharacter); and both as they were before the last atom,
   * for a quantifier that makes it optional.
   */
  private boolean fromGroupStart = true;

  private boolean fromInside = true;
  private boolean fromGroupStartBeforeAtom;
  private boolean fromInsideBeforeAtom;
  private boolean atomMatchesEmpty;

  /**
   * A test that holds inside a character where a match can start there, and whether such a match
   * can end.
   */
  private String insideACharacter;

  private boolean endsInsideACharacter;

  /**
   * An open group (or the whole pattern): where it opened, and whether one of its branches ended
   * so.
   */
  private static final class Group {
    final String opening;
    final boolean fromGroupStart;
    final boolean fromInside;
    boolean branchFromGroupStart;
    boolean branchFromInside;

    Group(String opening, boolean fromGroupStart, boolean fromInside) {
      this.opening = opening;
      this.fromGroupStart = fromGroupStart;
      this.fromInside = fromInside;
    }

    boolean isLookaround() {
      return opening.length() > 3 || opening.equals("(?=") || opening.equals("(?!");
    }
  }

  private PostgresRegex(String pattern, boolean marks) {
    this.pattern = pattern;
    this.p = pattern.codePoints().toArray();
    this.marks = marks;
  }

  /**
   * The ARE with the same matches as {@code pattern} has in Java, on every text if {@code marks},
   * else on the texts that {@link #MAY_HOLD_MARKS} does not find (shorter where the pattern has \b
   * or \B).
   *
   * @throws FilterException naming the construct PostgreSQL cannot evaluate the way Java does
   */
  static String translate(String pattern, boolean marks) {
    Pattern.compile(pattern); // valid already (FilterParser); the scan relies on it
    PostgresRegex translation = new PostgresRegex(pattern, marks);
    for (int c : translation.p) {
      if (c >= 0xD800
          && c <= 0xDFFF) { // half a character, which Java can match half a character with
        throw translation.refuse(String.format("\\u%04X", c), "a lone surrogate");
      }
    }
    translation.sequence();
    return translation.out.toString();
  }

  private void sequence() {
    groups.push(new Group("", true, true));
    while (i < p.length) {
      int from = i;
      int c = p[i++];
      switch (c) {
        case '\\' -> escape(from);
        case '[' -> charClass(from);
        case '(' -> openGroup(from);
        case ')' -> closeGroup();
        case '|' -> {
          Group group = groups.element();
          group.branchFromGroupStart |= fromGroupStart;
          group.branchFromInside |= fromInside;
          fromGroupStart = true;
          fromInside = group.fromInside;
          zeroWidth("|");
        }
        case '^' -> anchor("^", from); // Java without MULTILINE, and an ARE: the start of the text
        case '$' -> anchor(DOLLAR, from);
        case '.' -> consume(DOT, true, from);
        case '*', '+', '?', '{' -> quantifier(c, from);
        default -> consume(literal(c, false), c > 0xFFFF, from);
      }
    }
    endsInsideACharacter |= fromInside || groups.element().branchFromInside;
    if (insideACharacter != null && endsInsideACharacter) {
      throw refuse(
          insideACharacter,
          "a test that holds inside a character outside the BMP (such as an emoji), "
              + "where Java also starts matches, before the pattern can end or match . or a negated class");
    }
  }

  private void escape(int from) {
    int c = p[i++];
    switch (c) {
      case 'd' -> consume("[" + DIGIT + "]", false, from);
      case 'D' -> consume("[^" + DIGIT + "]", true, from);
      case 'w' -> consume("[" + WORD + "]", false, from);
      case 'W' -> consume("[^" + WORD + "]", true, from);
      case 's' -> consume("[" + SPACE + "]", false, from);
      case 'S' -> consume("[^" + SPACE + "]", true, from);
      case 'b' -> {
        if (i < p.length && p[i] == '{') {
          throw refuse("\\b{", "a grapheme cluster boundary");
        }
        anchor(boundary(true), from);
      }
      case 'B' -> {
        holdsInsideACharacter(from, i);
        zeroWidth(boundary(false));
      }
      case 'A' -> anchor("\\A", from);
      case 'z' -> anchor("\\Z", from); // an ARE's \Z is Java's \z: the very end
      case 'Z' -> anchor(DOLLAR, from); // Java's \Z is its $
      default -> {
        int character = character(c, from);
        consume(literal(character, false), character > 0xFFFF, from);
      }
    }
  }

  /**
   * The character that the escape at {@code from} stands for ({@code \} and {@code c} read), or a
   * refusal of the escapes that are not one character.
   */
  private int character(int c, int from) {
    int value =
        switch (c) {
          case 't' -> '\t';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 'f' -> '\f';
          case 'a' -> '\u0007';
          case 'e' -> '\u001B';
          case 'c' -> p[i++] ^ 64; // an ARE's \cX keeps the low 5 bits instead
          case '0' -> octal();
          case 'x' -> hex();
          case 'u' -> unicode();
          case 'N' -> {
            int end = indexOf('}', i);
            String name = new String(p, i + 1, end - i - 1);
            i = end + 1;
            yield Character.codePointOf(name);
          }
          case '1', '2', '3', '4', '5', '6', '7', '8', '9', 'k' ->
              throw refuse(source(from), "a back-reference");
          case 'p', 'P' -> throw refuse(source(from), "a Unicode property or class");
          case 'Q' -> throw refuse("\\Q", "quoting (escape each character instead)");
          case 'D', 'W', 'S' -> throw refuse(source(from), "a negated shorthand inside a class");
          default -> {
            // \h \v \R \X \G, and those Java allows outside a class only
            if (c < 0x80 && Character.isLetterOrDigit(c)) {
              throw refuse(source(from), "a Java-only escape");
            }
            yield c; // punctuation, or a non-ASCII character: itself
          }
        };
    if (value >= 0xD800 && value <= 0xDFFF) {
      throw refuse(source(from), "a lone surrogate");
    }
    return value;
  }

  /** Java's \0n, \0nn, \0mnn (m up to 3). */
  private int octal() {
    int value = 0;
    for (int digits = 0;
        digits < 3 && i < p.length && p[i] >= '0' && p[i] <= '7' && value <= 037;
        digits++) {
      value = value * 8 + p[i++] - '0';
    }
    return value;
  }

  /** Java's \xhh and \x{h...h}. */
  private int hex() {
    boolean braced = p[i] == '{';
    int start = braced ? i + 1 : i;
    int end = braced ? indexOf('}', i) : i + 2;
    i = braced ? end + 1 : end;
    return Integer.parseInt(new String(p, start, end - start), 16);
  }

  /** Java's \\uhhhh; two that are a surrogate pair make one character, as in Java. */
  private int unicode() {
    int value = Integer.parseInt(new String(p, i, 4), 16);
    i += 4;
    if (Character.isHighSurrogate((char) value)
        && i + 5 < p.length
        && p[i] == '\\'
        && p[i + 1] == 'u') {
      int low = Integer.parseInt(new String(p, i + 2, 4), 16);
      if (Character.isLowSurrogate((char) low)) {
        i += 6;
        return Character.toCodePoint((char) value, (char) low);
      }
    }
    return value;
  }

  /**
   * A class, in Java's grammar (Pattern.clazz, range): {@code ^} first negates, {@code ]} first is
   * a character, {@code x-y} is a range unless {@code -} is followed by {@code ]} or {@code [}; a
   * {@code [} inside is a nested class (a union) and {@code &&} an intersection, which AREs lack.
   */
  private void charClass(int from) {
    StringBuilder are = new StringBuilder("[");
    boolean negated = p[i] == '^';
    if (negated) {
      are.append('^');
      i++;
    }
    boolean outsideBmp = negated;
    for (boolean first = true; p[i] != ']' || first; first = false) {
      if (p[i] == '[') {
        throw refuse("[", "a class inside a class (a union: write its characters in one class)");
      }
      if (p[i] == '&' && p[i + 1] == '&') {
        throw refuse("&&", "a class intersection");
      }
      int itemFrom = i;
      int low = classCharacter(are);
      if (low < 0) {
        continue; // \d, \w or \s, written out already
      }
      int high = low;
      if (p[i] == '-' && p[i + 1] != ']' && p[i + 1] != '[') {
        i++;
        high = classCharacter(are);
        if (low <= 0xDFFF && high >= 0xD800) { // Java matches half a character with it
          throw refuse(source(itemFrom), "a range over the surrogates U+D800 to U+DFFF");
        }
      }
      are.append(literal(low, true)).append(high == low ? "" : "-" + literal(high, true));
      outsideBmp |= high > 0xFFFF;
    }
    i++;
    consume(are.append(']').toString(), outsideBmp, from);
  }

  /**
   * The character at {@code i} in a class, or -1 once {@code \d}, {@code \w} or {@code \s} is
   * written out.
   */
  private int classCharacter(StringBuilder are) {
    int from = i;
    int c = p[i++];
    if (c != '\\') {
      return c;
    }
    c = p[i++];
    String ranges =
        switch (c) {
          case 'd' -> DIGIT;
          case 'w' -> WORD;
          case 's' -> SPACE;
          default -> null;
        };
    if (ranges == null) {
      return character(c, from);
    }
    are.append(ranges);
    return -1;
  }

  private void openGroup(int from) {
    String opening = new String(p, from, Math.min(4, p.length - from));
    if (opening.startsWith("(?=") || opening.startsWith("(?!") || opening.startsWith("(?:")) {
      opening = opening.substring(0, 3);
    } else if (opening.equals("(?<=") || opening.equals("(?<!")) {
      lookbehinds++;
      if (opening.equals("(?<!")) {
        holdsInsideACharacter(from, from + 4);
      } else {
        failsInsideACharacter(from, from + 4);
      }
    } else if (opening.startsWith("(?<")) {
      throw refuse(new String(p, from, indexOf('>', from) - from + 1), "a named group");
    } else if (opening.startsWith("(?>")) {
      throw refuse("(?>", "an atomic group");
    } else if (opening.startsWith("(?")) {
      int end = from + 2;
      while (p[end] != ':' && p[end] != ')') {
        end++;
      }
      throw refuse(
          new String(p, from, end - from + 1),
          "inline flags (Java's (?i) folds ASCII only, PostgreSQL's follows the locale)");
    } else {
      opening = "(";
    }
    i = from + opening.length();
    groups.push(new Group(opening, fromGroupStart, fromInside));
    fromGroupStart = true;
    zeroWidth(opening);
  }

  private void closeGroup() {
    Group group = groups.pop();
    out.append(')');
    if (group.isLookaround()) { // consumes nothing, and takes no quantifier here
      lookbehinds -= group.opening.startsWith("(?<") ? 1 : 0;
      fromGroupStart = group.fromGroupStart;
      fromInside = group.fromInside;
      quantifiable = false;
      return;
    }
    atomMatchesEmpty = fromGroupStart || group.branchFromGroupStart;
    fromGroupStartBeforeAtom = group.fromGroupStart;
    fromInsideBeforeAtom = group.fromInside;
    fromGroupStart = group.fromGroupStart && atomMatchesEmpty;
    fromInside |= group.branchFromInside;
    quantifiable = true;
  }

  /**
   * A quantifier: greedy and lazy ones find the same matches in an ARE; possessive ones do not
   * exist.
   */
  private void quantifier(int c, int from) {
    int min = c == '+' ? 1 : 0;
    if (c == '{') {
      i = indexOf('}', i) + 1;
      String[] counts = new String(p, from + 1, i - from - 2).split(",");
      min = Integer.parseInt(counts[0]);
      for (String count : counts) {
        if (Integer.parseInt(count) > MAX_REPETITION) {
          throw refuse(source(from), "a repetition count above " + MAX_REPETITION);
        }
      }
    }
    if (!quantifiable) {
      // Java quantifies an anchor, a lookaround, or nothing ("a{2}{3}"); an ARE refuses them.
      throw refuse(source(from), "a quantifier on an anchor, a lookaround or another quantifier");
    }
    if (i < p.length && p[i] == '+') {
      i++;
      throw refuse(source(from), "a possessive quantifier");
    }
    if (min > 1 && atomMatchesEmpty) {
      // Java's Loop stops repeating a group once it matched the empty string, even short of the
      // minimum.
      throw refuse(
          source(from), "a repetition of at least 2 of a group that can match the empty string");
    }
    if (i < p.length && p[i] == '?') {
      i++;
    }
    out.append(source(from));
    quantifiable = false;
    if (min == 0) {
      fromGroupStart |= fromGroupStartBeforeAtom;
      fromInside |= fromInsideBeforeAtom;
    }
  }

  /**
   * A character, a class or {@code .}. {@code outsideBmp}: it can match a character outside the BMP
   * (U+10000 and above, such as an emoji), which Java's lookbehind (Pattern.Behind) miscounts: it
   * looks back as many UTF-16 units as its body has characters, one short for each such character.
   */
  private void consume(String are, boolean outsideBmp, int from) {
    if (outsideBmp && lookbehinds > 0) {
      throw refuse(
          source(from),
          "a lookbehind that can match a character outside the BMP, such as an emoji");
    }
    endsInsideACharacter |=
        outsideBmp && fromInside && groups.stream().noneMatch(Group::isLookaround);
    out.append(are);
    quantifiable = true;
    fromGroupStartBeforeAtom = fromGroupStart;
    fromInsideBeforeAtom = fromInside;
    fromGroupStart = false;
    fromInside = false;
    atomMatchesEmpty = false;
  }

  private void zeroWidth(String are) {
    out.append(are);
    quantifiable = false;
  }

  /**
   * ^, $, \b and the like, which never hold inside a character: a match going on after one did not
   * start there.
   */
  private void anchor(String are, int from) {
    failsInsideACharacter(from, i);
    zeroWidth(are);
    fromInside = false;
  }

  /*
   * Java's find() also tries to start a match between the two UTF-16 halves of a character outside the
   * BMP (an emoji; Pattern.Start, unless the pattern makes it use StartS), where \B and (?<!x) hold,
   * \b, ^, $ and (?<=x) do not, and only . or a negated class can take the second half. PostgreSQL
   * sees whole characters, so "(?<!a).$" finds "a😀" in Java only, as "(?!^)(?!$)" finds "😀". So a
   * pattern is refused where, before consuming anything, it can meet \B, (?<!, or one of the others
   * in a negative lookahead, and then end or consume with . or a negated class.
   */
  private void holdsInsideACharacter(int from, int to) {
    if (fromInside && insideACharacter == null) {
      insideACharacter = new String(p, from, to - from);
    }
  }

  private void failsInsideACharacter(int from, int to) {
    if (groups.stream().anyMatch(group -> group.opening.equals("(?!"))) {
      holdsInsideACharacter(from, to);
    }
  }

  /** One character as an ARE literal, escaped where it would be syntax. */
  private static String literal(int c, boolean inClass) {
    String special = inClass ? "]\\^-[" : "^$.[]()|*+?{}\\";
    if (c < 0x80 && special.indexOf(c) >= 0) {
      return "\\" + (char) c;
    }
    // Controls written as escapes, NUL too: PostgreSQL's text cannot hold it, so no text has it.
    return Character.isISOControl(c) ? escaped(c) : Character.toString(c);
  }

  private String source(int from) {
    return new String(p, from, i - from);
  }

  private int indexOf(int c, int from) {
    for (int at = from; at < p.length; at++) {
      if (p[at] == c) {
        return at;
      }
    }
    throw new IllegalStateException("Java accepted an unclosed construct in " + pattern);
  }

  private FilterException refuse(String construct, String what) {
    return new FilterException(
        "filter",
        "the regular expression '"
            + pattern
            + "' uses "
            + what
            + " ('"
            + construct
            + "'), which PostgreSQL cannot evaluate the way Java does; this store refuses it "
            + "(docs/segments.md, Regular expressions)");
  }

  /** Java's \b (where exactly one side is a word character) or \B (where both or neither are). */
  private String boundary(boolean boundary) {
    String word = "[" + WORD + "]";
    if (!marks) {
      return sides(word, word, boundary);
    }
    return "(?:(?<="
        + BASE
        + ")"
        + sides("[" + WORD + MARK_BMP + "]", "[" + WORD + MARK + "]", boundary)
        + "|(?<!"
        + BASE
        + ")"
        + sides(word, word, boundary)
        + ")";
  }

  private static String sides(String before, String after, boolean boundary) {
    return boundary
        ? "(?:(?<=" + before + ")(?!" + after + ")|(?<!" + before + ")(?=" + after + "))"
        : "(?:(?<=" + before + ")(?=" + after + ")|(?<!" + before + ")(?!" + after + "))";
  }

  /** The code points {@code in} holds, as the inside of an ARE bracket expression. */
  private static boolean isMark(int c) {
    return Character.getType(c) == Character.NON_SPACING_MARK;
  }

  private static String ranges(IntPredicate in) {
    StringBuilder ranges = new StringBuilder();
    for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
      if (in.test(c)) {
        int first = c;
        while (c < Character.MAX_CODE_POINT && in.test(c + 1)) {
          c++;
        }
        ranges.append(escaped(first)).append(c > first ? "-" + escaped(c) : "");
      }
    }
    return ranges.toString();
  }

  private static String escaped(int c) {
    return String.format(c <= 0xFFFF ? "\\u%04X" : "\\U%08X", c);
  }
}
