package dev.kiln.export.callback;

import java.time.Duration;
import java.util.Objects;

/**
 * How callbacks are delivered. Attempts are spaced {@code initialDelay}, then twice as long each
 * time up to {@code maxDelay}, until {@code deadline} after the first attempt. Tests pass
 * millisecond durations to the constructor.
 *
 * @param allowPrivate whether callbacks may go to loopback and private networks ({@value
 *     CallbackTargets#ALLOW_PRIVATE_SETTING})
 * @param initialDelay the wait after the first failed attempt
 * @param maxDelay the longest wait between two attempts
 * @param deadline no attempt starts later than this after the first one
 * @param requestTimeout how long one attempt may take to connect and get the answer's status
 */
public record CallbackSettings(
    boolean allowPrivate,
    Duration initialDelay,
    Duration maxDelay,
    Duration deadline,
    Duration requestTimeout) {

  public CallbackSettings {
    requirePositive(initialDelay, "initialDelay");
    requirePositive(maxDelay, "maxDelay");
    requirePositive(deadline, "deadline");
    requirePositive(requestTimeout, "requestTimeout");
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
    }
  }

  /** The production settings: 1 s, doubling up to 60 s, for 15 minutes; 10 s per attempt. */
  public static CallbackSettings defaults(boolean allowPrivate) {
    return new CallbackSettings(
        allowPrivate,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofMinutes(15),
        Duration.ofSeconds(10));
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name + " == null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + duration);
    }
  }
}
