package dev.kiln.server.exports;

import static dev.kiln.server.testing.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.server.http.ApiError;
import dev.kiln.server.testing.CallbackReceiver;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An export's {@code callback_endpoint} under the operator's network policy: refused at once with a
 * 400 naming the reason, or delivered as JSON to a real receiver on 127.0.0.1. ITSegmentExport
 * keeps a refused target answered over HTTP by a server with the default policy.
 */
class CallbacksTest {
  @Test
  void aTargetThatIsNotAnHttpUrlIs400() {
    try (Callbacks callbacks = new Callbacks(true)) {
      assertRefused(
          callbacks,
          "ftp://example.com/x",
          "callback_endpoint must be an absolute http or https URL");
      assertRefused(
          callbacks,
          "https://user:secret@example.com/x",
          "callback_endpoint must not contain user-info (user:password@)");
      assertRefused(callbacks, "https:///x", "callback_endpoint must name a host");
    }
  }

  @Test
  void aPrivateTargetIs400UnlessTheOperatorAllowsIt() {
    String loopback = "http://127.0.0.1:8080/callback";
    try (Callbacks strict = new Callbacks(false)) {
      assertRefused(
          strict, loopback, "callback_endpoint host '127.0.0.1' is not publicly reachable");
    }
    try (Callbacks allowing = new Callbacks(true)) {
      assertThat(allowing.checkWhenRequested(loopback)).isEqualTo(URI.create(loopback));
    }
  }

  @Test
  void aCallbackIsDeliveredAsJson() throws InterruptedException {
    try (CallbackReceiver receiver = CallbackReceiver.start();
        Callbacks callbacks = new Callbacks(true)) {
      URI target = callbacks.checkWhenRequested(receiver.url());

      boolean delivered =
          callbacks.deliver(target, Map.of("object_prefix", "p", "status", "succeeded"));

      assertThat(delivered).isTrue();
      assertThat(json(receiver.next(Duration.ofSeconds(5))))
          .isEqualTo(json("{\"object_prefix\":\"p\",\"status\":\"succeeded\"}"));
    }
  }

  private static void assertRefused(Callbacks callbacks, String target, String message) {
    ApiError refused = assertThrows(ApiError.class, () -> callbacks.checkWhenRequested(target));
    assertThat(refused.status()).as("status for %s", target).isEqualTo(400);
    assertThat(refused.getMessage()).as("message for %s", target).isEqualTo(message);
  }
}
