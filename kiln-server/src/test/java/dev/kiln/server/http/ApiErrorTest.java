package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The errors Kiln answers itself, in Braze's body shape ({@code {"message": ...}}). */
class ApiErrorTest {
  @Test
  void theBodyIsTheMessageAlone() {
    ApiError error = ApiError.badRequest("'name' is required");

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.body()).isEqualTo(Map.of("message", "'name' is required"));
  }

  @Test
  void perObjectErrorsFollowTheMessage() {
    List<Map<String, Object>> errors = List.of(Map.of("type", "invalid", "index", 0));
    ApiError error = new ApiError(400, "Invalid request", errors);

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("message", "Invalid request");
    expected.put("errors", errors);
    assertThat(error.body()).containsExactlyEntriesOf(expected);
  }

  @Test
  void brazesAuthenticationErrorsAreWordedAsBrazes() {
    assertThat(ApiError.invalidApiKey().status()).isEqualTo(401);
    assertThat(ApiError.invalidApiKey().body()).isEqualTo(Map.of("message", "Invalid API Key"));
    assertThat(ApiError.accessDenied().status()).isEqualTo(403);
    assertThat(ApiError.accessDenied().body()).isEqualTo(Map.of("message", "Access Denied"));
  }

  @Test
  void kilnsOwnRefusalsNameTheirLimitOrCause() {
    ApiError tooLarge = ApiError.payloadTooLarge(4_194_304);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.getMessage())
        .isEqualTo("Payload Too Large: the request body is over the limit of 4194304 bytes");
    ApiError timeout = ApiError.requestTimeout();
    assertThat(timeout.status()).isEqualTo(408);
    assertThat(timeout.getMessage()).startsWith("Request Timeout: ");
  }

  @Test
  void anErrorIsControlFlowWithoutAStackTrace() {
    assertThat(ApiError.badRequest("x").getStackTrace()).isEmpty();
  }
}
