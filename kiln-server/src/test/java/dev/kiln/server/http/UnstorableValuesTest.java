package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The values valid JSON allows and no backend can keep (docs/compatibility.md): a request body
 * holding one is refused whole with a 400 naming what it holds, from the body alone. ITHttpErrors
 * keeps one body of each kind refused over HTTP with nothing of it stored.
 */
class UnstorableValuesTest {
  private static final String NUL =
      "The request holds the character U+0000 (NUL) in its body, which Kiln does not accept";
  private static final String LONE_SURROGATE =
      "The request holds a lone UTF-16 surrogate (U+D800 to U+DFFF without its pair) in its body,"
          + " which Kiln does not accept";
  private static final String OUT_OF_RANGE =
      "The request holds a number too large to store (beyond 1.7976931348623157e308)";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"attributes\":[{\"external_id\":\"nul\\u0000id\",\"plan\":\"gold\"}]}",
        "{\"attributes\":[{\"external_id\":\"nul-user\",\"pl\\u0000an\":\"gold\"}]}",
        "{\"attributes\":[{\"external_id\":\"nul-user\",\"tags\":{\"add\":[\"a\",\"\\u0000\"]}}]}",
        "{\"events\":[{\"external_id\":\"nul-user\",\"name\":\"e\",\"time\":\"2026-01-01T00:00:00Z\",\"properties\":{\"k\":\"\\u0000\"}}]}"
      })
  void aNulCharacterAnywhereInTheBodyIsRefused(String body) {
    assertRefused(body, NUL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"attributes\":[{\"external_id\":\"lone\\ud800id\",\"plan\":\"gold\"}]}",
        "{\"attributes\":[{\"external_id\":\"lone-user\",\"plan\":\"\\udbff\"}]}",
        "{\"attributes\":[{\"external_id\":\"lone-user\",\"plan\":\"\\udc00\\ud800\"}]}"
      })
  void aLoneSurrogateAnywhereInTheBodyIsRefused(String body) {
    assertRefused(body, LONE_SURROGATE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e999999", "-1e999999", "1.8e308"})
  void aNumberNoDatabaseCanHoldIsRefused(String number) {
    assertRefused(
        "{\"attributes\":[{\"external_id\":\"huge-number\",\"n\":" + number + "}]}", OUT_OF_RANGE);
  }

  @Test
  void unstorableTextIsNamedBeforeANumberOutOfRange() {
    assertRefused("{\"n\":[1e999999],\"s\":\"\\u0000\"}", NUL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"external_id\":\"emoji-\\ud83d\\ude00\"}",
        "{\"n\":1.7976931348623157e308,\"m\":-1.7976931348623157e308}",
        "{\"tiny\":1e-999999}",
        "{\"a\":[[\"\\u0001\"],{\"b\":null,\"c\":true}]}"
      })
  void storableBodiesPass(String body) {
    assertThat(JsonBodies.object(bytes(body))).isNotNull();
  }

  private static void assertRefused(String body, String message) {
    ApiError error = assertThrows(ApiError.class, () -> JsonBodies.object(bytes(body)));
    assertThat(error.status()).as("status for %s", body).isEqualTo(400);
    assertThat(error.getMessage()).as("message for %s", body).isEqualTo(message);
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
