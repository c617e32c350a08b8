package dev.kiln.storage.postgres;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the database is. Operators hold either a JDBC URL or the libpq URI that psql and most
 * platforms print ({@code postgres://user:secret@host:5432/kiln?sslmode=require}); both are taken,
 * the second turned into the first with its user and password as driver properties.
 */
public record PostgresUrl(String jdbcUrl, Map<String, String> properties) {
  private static final String JDBC_PREFIX = "jdbc:postgresql:";

  public PostgresUrl {
    properties = Map.copyOf(properties);
  }

  public static PostgresUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw invalid("is empty");
    }
    if (url.startsWith(JDBC_PREFIX)) {
      return new PostgresUrl(url, Map.of());
    }
    if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
      return fromLibpq(url);
    }
    throw invalid("must start with jdbc:postgresql:, postgres:// or postgresql://");
  }

  /**
   * A JDBC URL of another database on the same server, as the same user: {@code jdbcUrl} with the
   * database (the path after host:port) replaced. Tests and the benchmark make a database per run.
   */
  public static String withDatabase(String jdbcUrl, String database) {
    int query = jdbcUrl.indexOf('?');
    String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    String rest = query < 0 ? "" : jdbcUrl.substring(query);
    int slash = base.indexOf('/', base.indexOf("//") + 2);
    return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + rest;
  }

  /** The URL for logs: no password, whichever form it came in. */
  String redacted() {
    return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static PostgresUrl fromLibpq(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid("is not a valid URI");
    }
    if (uri.getHost() == null) {
      throw invalid("names no host");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      properties.put("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        properties.put("password", decode(userInfo.substring(colon + 1)));
      }
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String database = uri.getRawPath() == null ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new PostgresUrl(
        JDBC_PREFIX + "//" + uri.getHost() + port + database + query, properties);
  }

  /** Percent-decoding as libpq does it: a '+' stays a '+'. */
  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static KilnException invalid(String why) {
    // The URL itself is never echoed: it may carry a password.
    return new KilnException(ErrorCode.INVALID_INPUT, "KILN_POSTGRES_URL " + why);
  }
}
