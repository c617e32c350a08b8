package dev.kiln.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Values valid JSON allows but no backend can keep, refused before anything is stored
 * (docs/compatibility.md, [INF]): the character U+0000 anywhere (PostgreSQL keeps it in neither text
 * nor jsonb), and numbers beyond a double's range (they have no value to store). A value one
 * backend accepts must not fail on the other; refused up front, it is a 400 for the one request,
 * never a failed transaction and a 5xx.
 */
public final class UnstorableValues {
  private static final char NUL = '\u0000';
  private static final String MESSAGE = "The request holds the character U+0000 (NUL)%s, which Kiln does not accept";
  private static final String OUT_OF_RANGE = "The request holds a number too large to store (beyond 1.7976931348623157e308)";

  private UnstorableValues() {}

  /** Refuses requests with a NUL in their path or query parameters. */
  public static void install(RoutesConfig routes) {
    routes.before(UnstorableValues::checkPathAndQuery);
  }

  /**
   * Refuses a JSON body with a NUL in any key or string, else one with a number out of range: one walk
   * over it. Numbers beyond a double's range have no value to store; fractions are read as doubles,
   * so a tiny one becomes 0, as in any JSON parser.
   */
  static void checkBody(JsonNode body) {
    Walk walk = new Walk();
    if (walk.findsNul(body)) {
      throw ApiError.badRequest(MESSAGE.formatted(" in its body"));
    }
    if (walk.numberOutOfRange) {
      throw ApiError.badRequest(OUT_OF_RANGE);
    }
  }

  private static void checkPathAndQuery(Context ctx) {
    boolean inQuery = ctx.queryParamMap().entrySet().stream().anyMatch(UnstorableValues::holdsNul);
    if (ctx.path().indexOf(NUL) >= 0 || ctx.path().contains("%00") || inQuery) {
      throw ApiError.badRequest(MESSAGE.formatted(" in its URL"));
    }
  }

  private static boolean holdsNul(Map.Entry<String, List<String>> parameter) {
    return parameter.getKey().indexOf(NUL) >= 0 || parameter.getValue().stream().anyMatch(value -> value.indexOf(NUL) >= 0);
  }

  /** One pass over a body: stops at the first NUL, noting on the way whether a number is out of range. */
  private static final class Walk {
    boolean numberOutOfRange;

    boolean findsNul(JsonNode node) {
      if (node.isTextual()) {
        return node.textValue().indexOf(NUL) >= 0;
      }
      if (node.isNumber()) {
        numberOutOfRange |= !Double.isFinite(node.doubleValue());
        return false;
      }
      for (Map.Entry<String, JsonNode> member : node.properties()) { // an object's members
        if (member.getKey().indexOf(NUL) >= 0 || findsNul(member.getValue())) {
          return true;
        }
      }
      if (node.isArray()) {
        for (JsonNode element : node) {
          if (findsNul(element)) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
