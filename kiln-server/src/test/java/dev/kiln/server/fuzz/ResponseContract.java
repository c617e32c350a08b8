package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.http.Json;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Property 1 of the fuzzing suite (defined in {@link dev.kiln.server.fuzz}), for every answer to a
 * fuzzed request: never a 5xx; a status Braze uses for the case; a JSON object with a {@code
 * message} string ("success" for a 2xx); no stack trace, library or database text in it. A word of
 * the client's own sent back in a message (a field name, say) is not a leak, so a suspicious word
 * counts only when the request did not carry it.
 */
final class ResponseContract {
  /** Text only a stack trace, a library or the database would put in an answer. */
  static final List<String> LEAKS =
      List.of(
          "exception",
          "at dev.",
          "sql",
          "sqlite",
          "postgres",
          "org.",
          "java.",
          "com.fasterxml",
          "jackson",
          "jetty",
          "javalin",
          "hikari",
          "\tat ",
          "caused by",
          "stacktrace",
          "constraint",
          "syntax error",
          "nullpointer",
          "unrecognized token",
          "unexpected character",
          "source: (");

  /**
   * Kiln's own words naming a backend on purpose: a regular expression PostgreSQL cannot evaluate
   * as Java does is refused naming the database (docs/segments.md), not leaking its text.
   */
  private static final String REGEX_REFUSAL = "which postgresql cannot evaluate the way java does";

  /**
   * The one 429 Braze documents outside rate limits: a second export of a segment whose export
   * still runs.
   */
  private static final String EXPORT_STILL_RUNNING = "is still running; try again when it is done";

  private ResponseContract() {}

  /**
   * Checks an answer of {@code endpoint}: its status is one Braze answers the endpoint with (or 415
   * for a body sent as another type than JSON; 413 is expected exactly when the body is over the 4
   * MiB limit), and a success of an endpoint that answers with users lists them.
   *
   * @return the answer's JSON
   */
  static JsonNode check(Exchange exchange, Endpoint endpoint) {
    JsonNode answer = check(exchange, endpoint.brazeStatuses());
    if (endpoint.successListsUsers() && exchange.status() < 300) {
      assertThat(answer.path("users").isArray()).as("a 'users' list in %s", exchange).isTrue();
    }
    return answer;
  }

  private static JsonNode check(Exchange exchange, Set<Integer> allowed) {
    int status = exchange.status();
    assertThat(status).as("no 5xx, for %s", exchange).isLessThan(500);
    assertThat(status == 429 && !exchange.response().body().contains(EXPORT_STILL_RUNNING))
        .as("rate limited (429) although RunningKiln turns rate limits off, for %s", exchange)
        .isFalse();
    assertThat(status)
        .as("a status Braze uses here, for %s", exchange)
        .isIn(expected(exchange, allowed));
    assertThat(status == 413)
        .as("413 exactly when the body is over the limit, for %s", exchange)
        .isEqualTo(exchange.body().length >= FuzzRequests.OVER_THE_BODY_LIMIT);
    if (exchange.sentObject().isEmpty() && status != 413) {
      assertThat(status)
          .as("a body that is not a JSON object is a 400, for %s", exchange)
          .isEqualTo(400);
    }
    assertThat(exchange.response().header("Content-Type"))
        .as("Content-Type of %s", exchange)
        .startsWith("application/json");
    JsonNode body = parse(exchange);
    assertThat(body.path("message").isTextual()).as("a 'message' string in %s", exchange).isTrue();
    if (status < 300) {
      assertThat(body.path("message").textValue())
          .as("message of %s", exchange)
          .isEqualTo("success");
    }
    assertNoLeaks(exchange);
    return body;
  }

  private static Set<Integer> expected(Exchange exchange, Set<Integer> allowed) {
    Set<Integer> expected = new HashSet<>(allowed);
    expected.add(413);
    if (exchange.contentType() == null
        || !exchange.contentType().toLowerCase(Locale.ROOT).startsWith(FuzzRequest.JSON)) {
      expected.add(415);
    }
    return expected;
  }

  private static JsonNode parse(Exchange exchange) {
    try {
      JsonNode body = Json.MAPPER.readTree(exchange.response().body());
      assertThat(body != null && body.isObject())
          .as("a JSON object as the body of %s", exchange)
          .isTrue();
      return body;
    } catch (IOException e) {
      throw new AssertionError("the answer is not JSON: " + exchange, e);
    }
  }

  private static void assertNoLeaks(Exchange exchange) {
    String answer = exchange.response().body().toLowerCase(Locale.ROOT).replace(REGEX_REFUSAL, "");
    String request = null;
    for (String leak : LEAKS) {
      if (answer.contains(leak)) {
        request = request != null ? request : exchange.requestText().toLowerCase(Locale.ROOT);
        assertThat(request)
            .as("'%s' in the answer must be the client's own text, for %s", leak, exchange)
            .contains(leak);
      }
    }
  }
}
