package dev.kiln.storage.jdbc.ratelimit;

import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitDecision;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;

/**
 * Kiln's rate limits as Bucket4j buckets. A bucket is refilled all at once when its window ends,
 * not bit by bit, so it behaves like Braze's fixed windows: {@code 3000/3s} lets 3,000 requests
 * through and the 3,001st inside the window is refused.
 */
public final class Bucket4jLimits {
  private Bucket4jLimits() {}

  public static Bandwidth bandwidth(RateLimit limit) {
    if (limit.unlimited()) {
      throw new IllegalArgumentException("an unlimited key has no bucket");
    }
    return Bandwidth.builder()
        .capacity(limit.requests())
        .refillIntervally(limit.requests(), limit.window())
        .build();
  }

  public static BucketConfiguration configuration(RateLimit limit) {
    return BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
  }

  /** What one attempt to take a request from a bucket means for the caller and the headers. */
  public static RateLimitDecision decision(ConsumptionProbe probe, RateLimit limit, Clock clock) {
    return new RateLimitDecision(
        probe.isConsumed(),
        limit.requests(),
        probe.getRemainingTokens(),
        clock.instant().plusNanos(probe.getNanosToWaitForReset()),
        probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }
}
