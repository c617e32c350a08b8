package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a caller is answered for each failure Kiln or Javalin names: the status, and a message in
 * Kiln's words that never carries an internal failure's text. ITHttpErrors keeps the answers a
 * running server gives, Jetty's own included.
 */
class ErrorMappingTest {
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "INVALID_INPUT, 400",
    "NOT_FOUND, 404",
    "CONFLICT, 409",
    "STORAGE_UNAVAILABLE, 503",
    "UNAVAILABLE, 503"
  })
  void kilnsFailuresForCallersKeepTheirMessage(ErrorCode code, int status) {
    ApiError answer = ErrorMapping.answerTo(new KilnException(code, "what the caller should know"));

    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.body()).isEqualTo(Map.of("message", "what the caller should know"));
  }

  @Test
  void anInternalFailureSaysNoMoreThanThat() {
    ApiError answer =
        ErrorMapping.answerTo(
            new KilnException(ErrorCode.INTERNAL, "SQLITE_CORRUPT at dev.kiln.storage.Foo"));

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.body()).isEqualTo(Map.of("message", "Internal Server Error"));
  }

  @Test
  void everyErrorCodeHasAnAnswer() {
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(ErrorMapping.answerTo(new KilnException(code, "m")).status())
          .as("%s", code)
          .isBetween(400, 599);
    }
  }

  @Test
  void javalinsRefusalsAreWordedByKiln() {
    assertThat(ErrorMapping.frameworkMessage(404, "GET", "/nope"))
        .isEqualTo("Not Found: no endpoint at GET /nope");
    assertThat(ErrorMapping.frameworkMessage(405, "DELETE", "/users/track"))
        .isEqualTo("Method Not Allowed: DELETE is not allowed on /users/track");
    assertThat(ErrorMapping.frameworkMessage(400, "POST", "/users/track")).isEqualTo("Bad Request");
    assertThat(ErrorMapping.frameworkMessage(431, "POST", "/x")).isEqualTo("Bad Request");
    assertThat(ErrorMapping.frameworkMessage(500, "GET", "/x")).isEqualTo("Internal Server Error");
    assertThat(ErrorMapping.frameworkMessage(503, "GET", "/x")).isEqualTo("Internal Server Error");
  }
}
