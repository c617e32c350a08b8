package dev.kiln.storage.jdbc.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitDecision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One node's buckets as Braze's fixed windows: the requests of a window count down to zero, the
 * next is refused with how long to wait, and each bucket counts alone. The headers and the 429 the
 * server makes of a decision are ITRateLimits'.
 */
class LocalRateLimiterTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final RateLimit THREE_AN_HOUR = RateLimit.parse("3/1h");

  private final LocalRateLimiter limiter = new LocalRateLimiter(Clock.fixed(NOW, ZoneOffset.UTC));

  private List<RateLimitDecision> acquire(String bucket, int times) {
    return Stream.generate(() -> limiter.acquire(bucket, THREE_AN_HOUR)).limit(times).toList();
  }

  @Test
  void remainingCountsDownWithinTheWindow() {
    List<RateLimitDecision> decisions = acquire("key:users.track", 3);

    assertThat(decisions).extracting(RateLimitDecision::allowed).containsOnly(true);
    assertThat(decisions).extracting(RateLimitDecision::limit).containsOnly(3L);
    assertThat(decisions).extracting(RateLimitDecision::remaining).containsExactly(2L, 1L, 0L);
    assertThat(decisions).extracting(RateLimitDecision::retryAfter).containsOnly(Duration.ZERO);
    assertThat(decisions)
        .extracting(RateLimitDecision::resetsAt)
        .allSatisfy(
            resetsAt ->
                assertThat(resetsAt).isAfter(NOW).isBeforeOrEqualTo(NOW.plus(Duration.ofHours(1))));
  }

  @Test
  void oneOverTheLimitIsRefusedWithTheWaitUntilTheWindowEnds() {
    acquire("key:users.track", 3);

    RateLimitDecision refused = limiter.acquire("key:users.track", THREE_AN_HOUR);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
    assertThat(limiter.acquire("key:users.track", THREE_AN_HOUR).allowed())
        .as("still refused")
        .isFalse();
  }

  @Test
  void eachBucketCountsAlone() {
    acquire("key:users.track", 4);

    assertThat(limiter.acquire("other:users.track", THREE_AN_HOUR).remaining())
        .as("another key")
        .isEqualTo(2);
    assertThat(limiter.acquire("key:users.export.ids", THREE_AN_HOUR).remaining())
        .as("another group")
        .isEqualTo(2);
  }

  @Test
  void anUnlimitedKeyHasNoBucket() {
    assertThatThrownBy(() -> limiter.acquire("key:users.track", RateLimit.UNLIMITED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an unlimited key has no bucket");
  }
}
