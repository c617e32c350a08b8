package dev.kiln.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Kiln refuses the character U+0000 anywhere in what it might store or look up (docs/compatibility.md,
 * [INF]): PostgreSQL can keep it in neither text nor jsonb, and a value one backend accepts must not
 * fail on the other. Refused up front, it is a 400 for the one request, never a failed transaction
 * that would take other clients' requests of the same group commit with it.
 */
public final class NulCharacters {
  private static final char NUL = '\u0000';
  private static final String MESSAGE = "The request holds the character U+0000 (NUL)%s, which Kiln does not accept";

  private NulCharacters() {}

  /** Refuses requests with a NUL in their path or query parameters. */
  public static void install(RoutesConfig routes) {
    routes.before(NulCharacters::checkPathAndQuery);
  }

  /** Refuses a JSON body with a NUL in any key or string. */
  static void checkBody(JsonNode body) {
    if (holdsNul(body)) {
      throw ApiError.badRequest(MESSAGE.formatted(" in its body"));
    }
  }

  private static void checkPathAndQuery(Context ctx) {
    boolean inQuery = ctx.queryParamMap().entrySet().stream().anyMatch(NulCharacters::holdsNul);
    if (ctx.path().indexOf(NUL) >= 0 || ctx.path().contains("%00") || inQuery) {
      throw ApiError.badRequest(MESSAGE.formatted(" in its URL"));
    }
  }

  private static boolean holdsNul(Map.Entry<String, List<String>> parameter) {
    return parameter.getKey().indexOf(NUL) >= 0 || parameter.getValue().stream().anyMatch(value -> value.indexOf(NUL) >= 0);
  }

  private static boolean holdsNul(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue().indexOf(NUL) >= 0;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> property : node.properties()) {
        if (property.getKey().indexOf(NUL) >= 0 || holdsNul(property.getValue())) {
          return true;
        }
      }
      return false;
    }
    for (JsonNode element : node) { // an array's elements; nothing for other scalars
      if (holdsNul(element)) {
        return true;
      }
    }
    return false;
  }
}
