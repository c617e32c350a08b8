package dev.kiln.storage.jdbc.ratelimit;

import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitDecision;
import dev.kiln.core.ratelimit.RateLimiter;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Buckets in this process's memory: right for a store that one node serves. They start full again
 * when the process restarts, which only ever lets a caller through sooner.
 */
public final class LocalRateLimiter implements RateLimiter {
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Clock clock;

  public LocalRateLimiter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public RateLimitDecision acquire(String bucket, RateLimit limit) {
    Bucket counter =
        buckets.computeIfAbsent(
            bucket, name -> Bucket.builder().addLimit(Bucket4jLimits.bandwidth(limit)).build());
    return Bucket4jLimits.decision(counter.tryConsumeAndReturnRemaining(1), limit, clock);
  }
}
