package dev.kiln.server.http;

import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitDecision;
import dev.kiln.core.ratelimit.RateLimitGroup;
import dev.kiln.core.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Braze's rate limits (docs/braze-reference.md section 1.5): each key has one bucket per endpoint
 * group, with the server's limit for the group unless the operator gave the key its own. Every
 * answer to a limited key carries {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset};
 * a request over the limit is answered 429 with {@code Retry-After} and changes nothing.
 */
public final class RateLimiting {
  static final String LIMIT = "X-RateLimit-Limit";
  static final String REMAINING = "X-RateLimit-Remaining";
  static final String RESET = "X-RateLimit-Reset";
  static final String RETRY_AFTER = "Retry-After";

  /**
   * The integer form Braze's MAU-priced /users/track sends on a 429; clients written for it read
   * this.
   */
  static final String BRAZE_RETRY_AFTER = "X-RateLimit-Retry-After";

  private final boolean enabled;
  private final Map<RateLimitGroup, RateLimit> serverLimits;
  private final RateLimiter limiter;
  private final boolean resetInSecondsRemaining;
  private final Clock clock;

  private RateLimiting(
      boolean enabled,
      Map<RateLimitGroup, RateLimit> serverLimits,
      RateLimiter limiter,
      boolean resetInSecondsRemaining,
      Clock clock) {
    this.enabled = enabled;
    this.serverLimits = Map.copyOf(serverLimits);
    this.limiter = limiter;
    this.resetInSecondsRemaining = resetInSecondsRemaining;
    this.clock = clock;
  }

  /** Limits per group as given; a key's own limits win over them. */
  public static RateLimiting enforcing(
      Map<RateLimitGroup, RateLimit> serverLimits,
      RateLimiter limiter,
      boolean resetInSecondsRemaining,
      Clock clock) {
    return new RateLimiting(true, serverLimits, limiter, resetInSecondsRemaining, clock);
  }

  /**
   * No limits at all ({@code KILN_RATE_LIMITS_ENABLED=false}), a key's own included: no buckets, no
   * headers.
   */
  public static RateLimiting off() {
    return new RateLimiting(false, Map.of(), null, false, Clock.systemUTC());
  }

  /**
   * Counts one request of {@code key} against its group's bucket and writes the headers to the
   * answer ({@code header}: the request's {@code Context::header}).
   *
   * @throws ApiError 429 when the bucket is empty
   */
  void admit(BiConsumer<String, String> header, ApiKey key, RateLimitGroup group) {
    if (!enabled) {
      return;
    }
    RateLimit limit = key.rateLimit(group).orElse(serverLimits.get(group));
    if (limit.unlimited()) {
      return;
    }
    RateLimitDecision decision = limiter.acquire(bucketName(key, group, limit), limit);
    header.accept(LIMIT, Long.toString(decision.limit()));
    header.accept(REMAINING, Long.toString(decision.remaining()));
    header.accept(RESET, Long.toString(reset(decision)));
    if (!decision.allowed()) {
      String seconds = Long.toString(wholeSecondsAtLeastOne(decision.retryAfter()));
      header.accept(RETRY_AFTER, seconds);
      header.accept(BRAZE_RETRY_AFTER, seconds);
      throw new ApiError(
          429,
          "Rate Limited: this key may make "
              + limit.requests()
              + " requests per "
              + limit.window().toSeconds()
              + " s to "
              + group
              + " endpoints; retry after "
              + seconds
              + " s");
    }
  }

  /**
   * A key's bucket per group and limit: the limit in the name starts a fresh bucket when the
   * operator changes it.
   */
  private static String bucketName(ApiKey key, RateLimitGroup group, RateLimit limit) {
    return group + "|" + limit + "|" + key.identity();
  }

  private long reset(RateLimitDecision decision) {
    if (resetInSecondsRemaining) {
      return wholeSecondsAtLeastOne(Duration.between(clock.instant(), decision.resetsAt()));
    }
    Instant resetsAt = decision.resetsAt();
    long epochSecond = resetsAt.getEpochSecond();
    return resetsAt.getNano() == 0 ? epochSecond : epochSecond + 1;
  }

  /** Rounded up, so a client that waits this long finds the window over. */
  private static long wholeSecondsAtLeastOne(Duration duration) {
    long millis = Math.max(duration.toMillis(), 1);
    return (millis + 999) / 1000;
  }
}
