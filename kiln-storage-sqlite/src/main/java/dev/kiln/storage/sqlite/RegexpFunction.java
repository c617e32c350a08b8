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
 * does) and keeps the patterns it compiled, since a segment query applies one pattern to every user.
 */
final class RegexpFunction extends Function {
  private static final int CACHED_PATTERNS = 64;

  private final Map<String, Pattern> patterns = new LinkedHashMap<>(16, 0.75f, true) {
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
    result(patterns.computeIfAbsent(pattern, Pattern::compile).matcher(text).find() ? 1 : 0);
  }
}
