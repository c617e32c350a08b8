package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 400 messages for a body that is not a JSON object, in Kiln's own words with the place of the
 * fault, from the body's bytes alone. ITHttpErrors keeps representative bodies over HTTP, to show
 * each kind of message reaches the client from every JSON endpoint.
 */
class JsonBodiesTest {
  private static final String MALFORMED = "Malformed JSON in the request body";

  private static AbstractStringAssert<?> refusal(byte[] body) {
    ApiError error = assertThrows(ApiError.class, () -> JsonBodies.object(body));
    assertThat(error.status()).as("status").isEqualTo(400);
    return assertThat(error.getMessage());
  }

  private static AbstractStringAssert<?> refusal(String body) {
    return refusal(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anObjectIsReadAsIs() {
    assertThat(JsonBodies.object("{\"a\":[1]}".getBytes(StandardCharsets.UTF_8)).path("a").size())
        .isEqualTo(1);
  }

  @Test
  void aTruncatedBodySaysItEndsEarly() {
    refusal("{\"attributes\": [")
        .startsWith(MALFORMED + ": it ends before the JSON value is complete at line 1, column ");
  }

  @Test
  void aSecondJsonValueAfterTheObjectSaysThereIsMoreAfterTheValue() {
    refusal("{\"a\":1} {\"b\":2}")
        .startsWith(MALFORMED + ": there is more after the JSON value at line 1, column ");
  }

  @Test
  void aStrayClosingBraceIsPointedAt() {
    refusal("{\"a\":1}}").startsWith(MALFORMED + ": ").endsWith(" at line 1, column 8");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{'a': 1}", "{\"a\": NaN}", "{\"a\":1,}", "nope"})
  void otherMalformedBodiesAreRefusedInKilnsWords(String body) {
    refusal(body).startsWith(MALFORMED + ": ");
  }

  @Test
  void aDuplicateKeySaysSo() {
    refusal("{\"a\":1,\"a\":2}")
        .startsWith(MALFORMED + ": a key appears twice in one object at line 1, column ");
  }

  @Test
  void theLocationCountsLines() {
    refusal("{\n  \"a\": 1,\n  \"b\": ]\n}")
        .startsWith(MALFORMED + ": ")
        .contains(" at line 3, column ");
  }

  @Test
  void aLoneInvalidByteSaysItIsNotUtf8() {
    refusal(new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'})
        .startsWith(MALFORMED)
        .contains("UTF-8");
  }

  @Test
  void jsonNestedTooDeepSaysHowDeepItMayGo() {
    String deep = "{\"a\":" + "[".repeat(Json.MAX_NESTING_DEPTH + 1);
    refusal(deep)
        .startsWith(
            MALFORMED
                + ": it nests objects and arrays deeper than "
                + Json.MAX_NESTING_DEPTH
                + " levels");
  }

  @Test
  void anEmptyBodyAndJsonValuesOtherThanAnObjectAreNamed() {
    refusal("").isEqualTo("The request body is empty; send a JSON object");
    refusal("\"text\"").isEqualTo("The request body must be a JSON object, not a string");
    refusal("null").isEqualTo("The request body must be a JSON object, not null");
    refusal("42").isEqualTo("The request body must be a JSON object, not a number");
    refusal("true").isEqualTo("The request body must be a JSON object, not a boolean");
  }
}
