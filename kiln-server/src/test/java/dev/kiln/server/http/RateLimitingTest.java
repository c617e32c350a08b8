package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitGroup;
import dev.kiln.storage.jdbc.ratelimit.LocalRateLimiter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Braze's rate limits (docs/braze-reference.md section 1.5) as one node counts them, with the real
 * in-process limiter: the headers of each answer to a key, the 429 over its limit, and whose bucket
 * a request counts against. ITRateLimits keeps what needs a running Kiln: the defaults and group
 * buckets per route, a refused request changing nothing, waiting out Retry-After, unauthenticated
 * requests, limits turned off by the setting and two nodes sharing a limit.
 */
class RateLimitingTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final RateLimitGroup TRACK = RateLimitGroup.USERS_TRACK;
  private static final RateLimitGroup EXPORT_IDS = RateLimitGroup.USERS_EXPORT_IDS;

  private final ApiKey key = key("kiln-test");

  private static ApiKey key(String name) {
    return ApiKey.create(name, EnumSet.allOf(Permission.class), List.of(), NOW);
  }

  private static RateLimiting enforcing(RateLimitGroup group, String limit, boolean secondsLeft) {
    return RateLimiting.enforcing(
        Map.of(group, RateLimit.parse(limit)), new LocalRateLimiter(CLOCK), secondsLeft, CLOCK);
  }

  private static RateLimiting enforcing(RateLimitGroup group, String limit) {
    return enforcing(group, limit, false);
  }

  /** The headers of one admitted request. */
  private static Map<String, String> admitted(RateLimiting limits, ApiKey key, RateLimitGroup g) {
    Map<String, String> headers = new HashMap<>();
    limits.admit(headers::put, key, g);
    return headers;
  }

  /** The status of one request: 200 when admitted, else the refusal's. */
  private static int status(RateLimiting limits, ApiKey key, RateLimitGroup group) {
    try {
      limits.admit((name, value) -> {}, key, group);
      return 200;
    } catch (ApiError refused) {
      return refused.status();
    }
  }

  @Test
  void remainingCountsDownAndResetIsTheWindowsEndInEpochSeconds() {
    RateLimiting limits = enforcing(TRACK, "5/1m");

    List<Map<String, String>> answers =
        Stream.generate(() -> admitted(limits, key, TRACK)).limit(3).toList();

    assertThat(answers).extracting(headers -> headers.get(RateLimiting.LIMIT)).containsOnly("5");
    assertThat(answers)
        .extracting(headers -> headers.get(RateLimiting.REMAINING))
        .containsExactly("4", "3", "2");
    assertThat(answers)
        .extracting(headers -> Long.parseLong(headers.get(RateLimiting.RESET)))
        .allSatisfy(
            reset ->
                assertThat(reset).isBetween(NOW.getEpochSecond() + 1, NOW.getEpochSecond() + 60));
  }

  @Test
  void overTheLimitIs429WithRetryAfterInBothForms() {
    RateLimiting limits = enforcing(TRACK, "2/1h");
    admitted(limits, key, TRACK);
    admitted(limits, key, TRACK);

    Map<String, String> headers = new HashMap<>();
    ApiError refused = assertThrows(ApiError.class, () -> limits.admit(headers::put, key, TRACK));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.getMessage())
        .isEqualTo(
            "Rate Limited: this key may make 2 requests per 3600 s to users.track endpoints;"
                + " retry after "
                + headers.get(RateLimiting.RETRY_AFTER)
                + " s");
    assertThat(headers.get(RateLimiting.LIMIT)).isEqualTo("2");
    assertThat(headers.get(RateLimiting.REMAINING)).isEqualTo("0");
    assertThat(Long.parseLong(headers.get(RateLimiting.RETRY_AFTER))).isBetween(1L, 3600L);
    assertThat(headers.get(RateLimiting.BRAZE_RETRY_AFTER))
        .isEqualTo(headers.get(RateLimiting.RETRY_AFTER));
  }

  @Test
  void eachKeyHasItsOwnBuckets() {
    RateLimiting limits = enforcing(EXPORT_IDS, "1/1h");
    status(limits, key, EXPORT_IDS);
    assertThat(status(limits, key, EXPORT_IDS)).isEqualTo(429);

    assertThat(status(limits, key("other"), EXPORT_IDS)).isEqualTo(200);
  }

  @Test
  void aKeyWithLimitsOfItsOwnUsesThemAndAnUnlimitedOneIsNeverCounted() {
    RateLimiting limits = enforcing(EXPORT_IDS, "1/1h");
    ApiKey raised = key("raised").withRateLimits(Map.of(EXPORT_IDS, RateLimit.parse("3/1h")));
    ApiKey unlimited = key("unlimited").withRateLimits(Map.of(EXPORT_IDS, RateLimit.UNLIMITED));

    assertThat(Stream.generate(() -> status(limits, raised, EXPORT_IDS)).limit(4))
        .containsExactly(200, 200, 200, 429);
    List<Map<String, String>> free =
        Stream.generate(() -> admitted(limits, unlimited, EXPORT_IDS)).limit(5).toList();
    assertThat(free).allSatisfy(headers -> assertThat(headers).isEmpty());
  }

  @Test
  void aChangedLimitStartsAFreshBucket() {
    RateLimiting limits = enforcing(EXPORT_IDS, "1/1h");
    ApiKey before = key.withRateLimits(Map.of(EXPORT_IDS, RateLimit.parse("1/1h")));
    status(limits, before, EXPORT_IDS);
    assertThat(status(limits, before, EXPORT_IDS)).isEqualTo(429);

    ApiKey raised = key.withRateLimits(Map.of(EXPORT_IDS, RateLimit.parse("2/1h")));
    assertThat(admitted(limits, raised, EXPORT_IDS).get(RateLimiting.REMAINING)).isEqualTo("1");
  }

  @Test
  void aNewKeyReusingARevokedKeysNameDoesNotInheritItsCounts() {
    RateLimiting limits = enforcing(EXPORT_IDS, "1/1h");
    status(limits, key, EXPORT_IDS);
    ApiKey successor = ApiKey.create(key.name(), key.permissions(), List.of(), NOW.plusSeconds(60));

    assertThat(status(limits, successor, EXPORT_IDS)).isEqualTo(200);
  }

  @Test
  void eachGroupHasItsOwnBucket() {
    RateLimiting limits =
        RateLimiting.enforcing(
            Map.of(TRACK, RateLimit.parse("1/1h"), EXPORT_IDS, RateLimit.parse("1/1h")),
            new LocalRateLimiter(CLOCK),
            false,
            CLOCK);
    status(limits, key, TRACK);

    assertThat(status(limits, key, EXPORT_IDS)).isEqualTo(200);
    assertThat(status(limits, key, TRACK)).isEqualTo(429);
  }

  @Test
  void resetCanCountSecondsRemainingAsBrazesMauTrackDoes() {
    RateLimiting limits = enforcing(TRACK, "5/1m", true);

    assertThat(Long.parseLong(admitted(limits, key, TRACK).get(RateLimiting.RESET)))
        .isBetween(1L, 60L);
  }

  @Test
  void limitsTurnedOffCountNothingAndSendNoHeaders() {
    RateLimiting off = RateLimiting.off();
    ApiKey ownLimits = key.withRateLimits(Map.of(TRACK, RateLimit.parse("1/1h")));

    List<Map<String, String>> answers =
        Stream.generate(() -> admitted(off, ownLimits, TRACK)).limit(3).toList();

    assertThat(answers).allSatisfy(headers -> assertThat(headers).isEmpty());
  }
}
