package dev.kiln.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Values valid JSON allows but no backend can keep, refused before anything is stored
 * (docs/compatibility.md, [INF]):
 *
 * <ul>
 *   <li>the character U+0000 anywhere: PostgreSQL keeps it in neither text nor jsonb;
 *   <li>a lone UTF-16 surrogate ({@code "\ud800"} without its pair): no UTF-8 text can hold it,
 *       PostgreSQL refuses it and SQLite's driver stores a {@code ?} instead, so two different ids
 *       would become one (bytes that are not UTF-8, such as an encoded surrogate, are refused
 *       before, by {@link StrictUtf8});
 *   <li>numbers beyond a double's range: they have no value to store.
 * </ul>
 *
 * A value one backend accepts must not fail on the other; refused up front, it is a 400 for the one
 * request, never a failed transaction and a 5xx, never a silently changed value.
 */
public final class UnstorableValues {
  private static final char NUL = '\u0000';
  private static final String NUL_CHARACTER = "the character U+0000 (NUL)";
  private static final String LONE_SURROGATE =
      "a lone UTF-16 surrogate (U+D800 to U+DFFF without its pair)";
  private static final String MESSAGE =
      "The request holds %s in its %s, which Kiln does not accept";
  private static final String OUT_OF_RANGE =
      "The request holds a number too large to store (beyond 1.7976931348623157e308)";

  private UnstorableValues() {}

  /** Refuses requests with unstorable text in their path or query parameters. */
  public static void install(RoutesConfig routes) {
    routes.before(UnstorableValues::checkPathAndQuery);
  }

  /**
   * Refuses a JSON body with unstorable text in any key or string, else one with a number out of
   * range: one walk over it. Numbers beyond a double's range have no value to store; fractions are
   * read as doubles, so a tiny one becomes 0, as in any JSON parser.
   */
  static void checkBody(JsonNode body) {
    Walk walk = new Walk();
    Optional<String> unstorable = walk.unstorableText(body);
    if (unstorable.isPresent()) {
      throw ApiError.badRequest(MESSAGE.formatted(unstorable.get(), "body"));
    }
    if (walk.numberOutOfRange) {
      throw ApiError.badRequest(OUT_OF_RANGE);
    }
  }

  private static void checkPathAndQuery(Context ctx) {
    // Jetty refuses such a path itself (JsonErrorHandler)
    if (!StrictUtf8.isValidPercentEncoded(ctx.queryString())) {
      throw ApiError.badRequest(StrictUtf8.URL_NOT_UTF8);
    }
    Optional<String> unstorable =
        ctx.path().contains("%00") ? Optional.of(NUL_CHARACTER) : unstorable(ctx.path());
    for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
      unstorable = unstorable.or(() -> unstorable(parameter.getKey()));
      for (String value : parameter.getValue()) {
        unstorable = unstorable.or(() -> unstorable(value));
      }
    }
    unstorable.ifPresent(
        what -> {
          throw ApiError.badRequest(MESSAGE.formatted(what, "URL"));
        });
  }

  /** What in this text no backend can store, if anything. */
  private static Optional<String> unstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == NUL) {
        return Optional.of(NUL_CHARACTER);
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a pair: one character outside the BMP, such as an emoji
      } else if (Character.isSurrogate(c)) {
        return Optional.of(LONE_SURROGATE);
      }
    }
    return Optional.empty();
  }

  /**
   * One pass over a body: stops at the first unstorable text, noting on the way whether a number is
   * out of range.
   */
  private static final class Walk {
    boolean numberOutOfRange;

    Optional<String> unstorableText(JsonNode node) {
      if (node.isTextual()) {
        return unstorable(node.textValue());
      }
      if (node.isNumber()) {
        numberOutOfRange |= !Double.isFinite(node.doubleValue());
        return Optional.empty();
      }
      for (Map.Entry<String, JsonNode> member : node.properties()) { // an object's members
        Optional<String> found =
            unstorable(member.getKey()).or(() -> unstorableText(member.getValue()));
        if (found.isPresent()) {
          return found;
        }
      }
      if (node.isArray()) {
        for (JsonNode element : node) {
          Optional<String> found = unstorableText(element);
          if (found.isPresent()) {
            return found;
          }
        }
      }
      return Optional.empty();
    }
  }
}
