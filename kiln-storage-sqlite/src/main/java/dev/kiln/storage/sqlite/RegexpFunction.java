package dev.kiln.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.sqlite.Function;

/**
 * SQLite's {@code X REGEXP Y} calls a function named regexp that SQLite itself does not provide.
 * This one uses Java's regular expressions (a match anywhere in the text, as PostgreSQL's {@code ~}
 * does) and keeps the patterns it compiled, since a segment query applies one pattern to every
 * user.
 *
 * <p>Java's engine backtracks: a pattern such as {@code (.*a){12}b} takes time growing with the
 * twelfth power of the length of a text it almost matches (5 s for 28 characters, years for 255),
 * and would hold a connection and a core all that time. Each match may therefore read the text a
 * bounded number of times ({@value #MAX_READS_PER_MATCH}); past that the query fails with {@link
 * #TOO_COSTLY}, which the dialect reports as the filter's fault.
 */
final class RegexpFunction extends Function {
  static final String TOO_COSTLY = "kiln: regular expression too costly";

  /**
   * A few milliseconds of matching; an ordinary pattern reads a 255-character text a few thousand
   * times.
   */
  static final long MAX_READS_PER_MATCH = 5_000_000;

  private static final int CACHED_PATTERNS = 64;

  private final Map<String, Pattern> patterns =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
          return size() > CACHED_PATTERNS;
        }
      };

  static void register(Connection connection) throws SQLException {
    Function.create(connection, "REGEXP", new RegexpFunction(), 2, Function.FLAG_DETERMINISTIC);
  }

  @Override
  protected void xFunc() throws SQLException {
    String pattern = value_text(0);
    String text = value_text(1);
    if (pattern == null || text == null) {
      result();
      return;
    }
    try {
      result(
          patterns
                  .computeIfAbsent(pattern, Pattern::compile)
                  .matcher(new ReadLimitedText(text))
                  .find()
              ? 1
              : 0);
    } catch (ReadLimitedText.LimitReached e) {
      throw new SQLException(TOO_COSTLY);
    }
  }

  /**
   * The text, readable {@value #MAX_READS_PER_MATCH} times in all: the matcher's only way to it.
   */
  private static final class ReadLimitedText implements CharSequence {
    private final String text;
    private final long[] readsLeft;

    ReadLimitedText(String text) {
      this(text, new long[] {MAX_READS_PER_MATCH});
    }

    private ReadLimitedText(String text, long[] readsLeft) {
      this.text = text;
      this.readsLeft = readsLeft; // shared with subsequences, which the matcher may take
    }

    @Override
    public char charAt(int index) {
      if (--readsLeft[0] < 0) {
        throw new LimitReached();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new ReadLimitedText(text.substring(start, end), readsLeft);
    }

    @Override
    public String toString() {
      return text;
    }

    static final class LimitReached extends RuntimeException {
      LimitReached() {
        super(TOO_COSTLY, null, false, false);
      }
    }
  }
}
