package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitDecision;
import dev.kiln.core.storage.ProfileStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Contract: the counters behind the API's rate limits. A bucket lets exactly its limit through per
 * window, refuses the rest with the time to wait, and is full again when the window ends. A backend
 * that several nodes share counts every node's requests against one bucket; one for a single node
 * says so with {@link #sharedByNodes()}, and then each node counts on its own.
 */
public abstract class ITRateLimiter<T extends ProfileStorage> extends ITStorage<T> {
  private static final RateLimit HUNDRED_PER_HOUR = RateLimit.parse("100/1h");

  protected ITRateLimiter(StorageHarness<T> harness) {
    super(harness);
  }

  /** Whether nodes opened over the same database count against the same buckets. */
  protected abstract boolean sharedByNodes();

  private static String newBucket() {
    return "test:" + UUID.randomUUID();
  }

  private List<RateLimitDecision> acquire(
      ProfileStorage node, String bucket, RateLimit limit, int times) {
    List<RateLimitDecision> decisions = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      decisions.add(node.rateLimiter().acquire(bucket, limit));
    }
    return decisions;
  }

  @Test
  void aBucketLetsItsLimitThroughCountingDownThenRefuses() {
    RateLimit limit = RateLimit.parse("5/1h");
    Instant before = Instant.now();

    List<RateLimitDecision> decisions = acquire(storage, newBucket(), limit, 7);

    assertThat(decisions)
        .extracting(RateLimitDecision::allowed)
        .containsExactly(true, true, true, true, true, false, false);
    assertThat(decisions)
        .extracting(RateLimitDecision::remaining)
        .containsExactly(4L, 3L, 2L, 1L, 0L, 0L, 0L);
    assertThat(decisions).extracting(RateLimitDecision::limit).containsOnly(5L);
    assertThat(decisions)
        .allSatisfy(
            decision ->
                assertThat(decision.resetsAt())
                    .isAfter(before)
                    .isBeforeOrEqualTo(Instant.now().plus(Duration.ofHours(1))));
    assertThat(decisions.subList(0, 5))
        .extracting(RateLimitDecision::retryAfter)
        .containsOnly(Duration.ZERO);
    assertThat(decisions.get(6).retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
  }

  @Test
  void bucketsAreCountedApart() {
    String first = newBucket();
    String second = newBucket();
    RateLimit limit = RateLimit.parse("2/1h");

    acquire(storage, first, limit, 3);

    assertThat(storage.rateLimiter().acquire(second, limit).allowed()).isTrue();
    assertThat(storage.rateLimiter().acquire(first, limit).allowed()).isFalse();
  }

  @Test
  void aRefusedBucketIsFullAgainOnceItsWindowEnds() throws InterruptedException {
    String bucket = newBucket();
    RateLimit limit = RateLimit.parse("3/1s");
    RateLimitDecision refused = acquire(storage, bucket, limit, 4).get(3);
    assertThat(refused.allowed()).isFalse();

    Thread.sleep(refused.retryAfter().toMillis() + 50);

    assertThat(acquire(storage, bucket, limit, 4))
        .extracting(RateLimitDecision::allowed)
        .containsExactly(true, true, true, false);
  }

  @Test
  void requestsFromManyThreadsOfOneNodeNeverOvershootTheLimit() throws Exception {
    String bucket = newBucket();
    try (Nodes<T> node = Nodes.open(storage, this::reopen, 1)) {
      List<Long> allowed =
          node.runTogether(
              8, (store, thread) -> allowedOf(acquire(store, bucket, HUNDRED_PER_HOUR, 40)));

      assertThat(allowed.stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
    }
  }

  @Test
  void nodesOverOneDatabaseCountAsTheBackendDeclares() throws Exception {
    String bucket = newBucket();
    int nodeCount = 3;
    try (Nodes<T> nodes = Nodes.open(storage, this::reopen, nodeCount)) {
      List<Long> allowed =
          nodes.runTogether(
              9, (store, thread) -> allowedOf(acquire(store, bucket, HUNDRED_PER_HOUR, 60)));

      long total = allowed.stream().mapToLong(Long::longValue).sum();
      assertThat(total).isEqualTo(sharedByNodes() ? 100 : 100L * nodeCount);
    }
  }

  private static long allowedOf(List<RateLimitDecision> decisions) {
    return decisions.stream().filter(RateLimitDecision::allowed).count();
  }
}
