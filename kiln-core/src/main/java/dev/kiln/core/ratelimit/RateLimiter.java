package dev.kiln.core.ratelimit;

/**
 * Counts requests against named buckets. A store that several nodes share keeps the buckets where
 * every node sees them, so a key's limit holds for the whole deployment, not per node.
 */
public interface RateLimiter {

  /**
   * Takes one request from the bucket, creating it full when new. A bucket's name identifies its
   * limit too: the same name must always come with the same limit.
   */
  RateLimitDecision acquire(String bucket, RateLimit limit);
}
