package dev.kiln.storage.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the database may work on one segment query before it is stopped: a count (a size) is
 * answered while its caller waits; a page of an export's members is read by a background job and
 * may legitimately take longer over a large segment.
 */
public record EvaluationTimeouts(Duration count, Duration exportPage) {
  public static final EvaluationTimeouts DEFAULTS =
      new EvaluationTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(10));

  public EvaluationTimeouts {
    requirePositive(count, "count");
    requirePositive(exportPage, "exportPage");
  }

  private static void requirePositive(Duration timeout, String name) {
    Objects.requireNonNull(timeout, name + " == null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
