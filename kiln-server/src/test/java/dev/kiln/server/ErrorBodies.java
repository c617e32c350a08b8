package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.List;

/**
 * Assertions shared by the HTTP-level tests about Kiln's error bodies ({@code {"message": ...}}).
 */
final class ErrorBodies {
  /** Text that only a library, the database or a stack trace would put in a response. */
  static final List<String> LEAKS =
      List.of(
          "com.fasterxml",
          "jackson",
          "Exception",
          "org.eclipse",
          "jetty",
          "javalin",
          "sqlite",
          "SQL",
          "\tat ",
          "Source: (",
          "REDACTED",
          "Unexpected character",
          "Unrecognized token",
          "JsonParse");

  private ErrorBodies() {}

  /** The response is {@code status} with exactly {@code {"message": message}} as a JSON body. */
  static void assertExactError(Response response, int status, String message) {
    assertThat(response.status()).as("status of %s", response).isEqualTo(status);
    assertJson(response);
    ObjectNode expected = JsonNodeFactory.instance.objectNode().put("message", message);
    assertThat(response.json()).as("body of %s", response).isEqualTo(expected);
  }

  /**
   * The response is {@code status} with a {@code {"message": "..."}} JSON body; returns the
   * message.
   */
  static String assertErrorMessage(Response response, int status) {
    assertThat(response.status()).as("status of %s", response).isEqualTo(status);
    assertJson(response);
    JsonNode body = response.json();
    assertThat(body.isObject()).as("body of %s is a JSON object", response).isTrue();
    assertThat(body.path("message").isTextual())
        .as("body of %s has a text 'message'", response)
        .isTrue();
    assertNoLeaks(response);
    return body.path("message").asText();
  }

  static void assertJson(Response response) {
    assertThat(response.header("Content-Type"))
        .as("Content-Type of %s", response)
        .startsWith("application/json");
  }

  /** No library, database or stack-trace text in the body. */
  static void assertNoLeaks(Response response) {
    for (String leak : LEAKS) {
      assertThat(response.body())
          .as("body of %s must not contain '%s'", response, leak)
          .doesNotContainIgnoringCase(leak);
    }
  }
}
