package dev.kiln.server.exports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import java.time.Duration;

/** Polls {@code GET /users/export/status} until a field of an export has a value. */
final class ExportStatuses {
  private ExportStatuses() {}

  static JsonNode status(RunningKiln kiln, String objectPrefix) {
    return kiln.get("/users/export/status?object_prefix=" + objectPrefix).json();
  }

  /**
   * The status once {@code field} is {@code value}; fails the test when it is not within {@code
   * timeout}.
   */
  static JsonNode await(
      RunningKiln kiln, String objectPrefix, String field, String value, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status = status(kiln, objectPrefix);
    while (!status.path(field).asText().equals(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "export "
                + objectPrefix
                + " did not reach "
                + field
                + " "
                + value
                + " within "
                + timeout
                + ": "
                + status);
      }
      Thread.sleep(50);
      status = status(kiln, objectPrefix);
    }
    return status;
  }
}
