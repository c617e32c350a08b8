package dev.kiln.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.http.Json;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * One fuzzed request as sent, with the server's answer. Its toString is the reproducer a failure
 * report shows: the method, path, Content-Type and the exact body (escaped where not printable).
 *
 * @param sentObject the body as the server reads it, when it is a JSON object: parsed with the
 *     server's own mapper (same nesting limit, same refusal of duplicate keys and trailing tokens)
 */
record Exchange(
    String path,
    byte[] body,
    String contentType,
    Response response,
    Optional<ObjectNode> sentObject) {
  private static final int SHOWN_BODY = 4000;

  static Exchange of(String path, byte[] body, String contentType, Response response) {
    return new Exchange(path, body, contentType, response, parse(body));
  }

  int status() {
    return response.status();
  }

  private static Optional<ObjectNode> parse(byte[] body) {
    try {
      JsonNode parsed = Json.MAPPER.readTree(body);
      return parsed instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * All the text the request carried, raw and decoded: a word in the answer that appears here may
   * be the client's own words echoed back, not a leak.
   */
  String requestText() {
    StringBuilder text = new StringBuilder(new String(body, StandardCharsets.UTF_8));
    sentObject().ifPresent(object -> appendStrings(object, text));
    return text.toString();
  }

  private static void appendStrings(JsonNode node, StringBuilder out) {
    if (node.isTextual()) {
      out.append('\n').append(node.textValue());
    }
    for (Map.Entry<String, JsonNode> member : node.properties()) {
      out.append('\n').append(member.getKey());
      appendStrings(member.getValue(), out);
    }
    if (node.isArray()) {
      node.forEach(item -> appendStrings(item, out));
    }
  }

  @Override
  public String toString() {
    return "POST "
        + path
        + " (Content-Type: "
        + contentType
        + ") with body\n  "
        + Printable.bytes(body, SHOWN_BODY)
        + "\nanswered "
        + response.status()
        + " "
        + Printable.text(response.body(), 2000);
  }
}
