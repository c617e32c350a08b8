package dev.kiln.storage.postgres;

import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitDecision;
import dev.kiln.core.ratelimit.RateLimiter;
import dev.kiln.storage.jdbc.StorageFailures;
import dev.kiln.storage.jdbc.ratelimit.Bucket4jLimits;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Buckets in the {@code rate_limit_buckets} table, so every node counts against the same limit.
 * Each request takes its token in a short transaction of its own ({@code SELECT ... FOR UPDATE},
 * then {@code UPDATE}), through Bucket4j's PostgreSQL integration. Expired rows are deleted now and
 * then by whichever node comes by.
 */
final class PostgresRateLimiter implements RateLimiter {
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  private static final int SWEEP_BATCH = 1_000;

  /** How long a full bucket's row stays before it may be deleted. */
  private static final Duration KEEP_FULL_BUCKETS = Duration.ofMinutes(5);

  private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
  private final Clock clock;
  private final AtomicLong nextSweepMillis;

  PostgresRateLimiter(DataSource dataSource, Clock clock) {
    this.buckets =
        Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table("rate_limit_buckets")
            .idColumn("id")
            .stateColumn("state")
            .expiresAtColumn("expires_at")
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    KEEP_FULL_BUCKETS))
            .build();
    this.clock = clock;
    this.nextSweepMillis = new AtomicLong(clock.millis() + SWEEP_EVERY.toMillis());
  }

  @Override
  public RateLimitDecision acquire(String bucket, RateLimit limit) {
    sweepWhenDue();
    try {
      return Bucket4jLimits.decision(
          buckets
              .getProxy(bucket, () -> Bucket4jLimits.configuration(limit))
              .tryConsumeAndReturnRemaining(1),
          limit,
          clock);
    } catch (RuntimeException e) {
      throw StorageFailures.unavailable("count the request against its rate limit", e);
    }
  }

  /** One caller a minute per node deletes a batch of expired rows; the others go straight on. */
  private void sweepWhenDue() {
    long due = nextSweepMillis.get();
    long now = clock.millis();
    if (now >= due && nextSweepMillis.compareAndSet(due, now + SWEEP_EVERY.toMillis())) {
      try {
        buckets.removeExpired(SWEEP_BATCH);
      } catch (RuntimeException e) {
        throw StorageFailures.unavailable("delete expired rate-limit buckets", e);
      }
    }
  }
}
