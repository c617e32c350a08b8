package dev.kiln.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.KilnException;
import dev.kiln.core.auth.Permission;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitTest {

  @ParameterizedTest
  @CsvSource({
    "3000/3s, 3000, 3",
    "250/1m, 250, 60",
    "250000/1h, 250000, 3600",
    "40/90s, 40, 90",
    " 5/2M , 5, 120"
  })
  void readsRequestsPerWindow(String spec, long requests, long seconds) {
    assertThat(RateLimit.parse(spec))
        .isEqualTo(new RateLimit(requests, Duration.ofSeconds(seconds)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"3000/3s", "250/1m", "250000/1h", "40/90s", "unlimited"})
  void writesWhatItReads(String spec) {
    assertThat(RateLimit.parse(spec).toString()).isEqualTo(spec);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "3000",
        "3000/",
        "/3s",
        "0/1s",
        "5/0s",
        "-5/1s",
        "5/1d",
        "5/1.5s",
        "five/1s",
        "99999999999999/1s",
        "off"
      })
  void refusesWhatIsNotALimit(String spec) {
    assertThatThrownBy(() -> RateLimit.parse(spec))
        .isInstanceOf(KilnException.class)
        .hasMessageContaining("is not a rate limit");
  }

  @Test
  void unlimitedIsItsOwnValue() {
    assertThat(RateLimit.parse("Unlimited").unlimited()).isTrue();
    assertThat(RateLimit.parse("1/1s").unlimited()).isFalse();
  }

  @Test
  void groupsCarryBrazesDefaults() {
    assertThat(RateLimitGroup.USERS_TRACK.brazeDefault()).isEqualTo(RateLimit.parse("3000/3s"));
    assertThat(RateLimitGroup.USERS_EXPORT_IDS.brazeDefault()).isEqualTo(RateLimit.parse("250/1m"));
    assertThat(RateLimitGroup.USERS_MANAGEMENT.brazeDefault())
        .isEqualTo(RateLimit.parse("20000/1m"));
    assertThat(RateLimitGroup.SEGMENTS_AND_EXPORTS.brazeDefault())
        .isEqualTo(RateLimit.parse("250000/1h"));
  }

  @ParameterizedTest
  @EnumSource(
      value = Permission.class,
      names = {
        "USERS_DELETE",
        "USERS_ALIAS_NEW",
        "USERS_ALIAS_UPDATE",
        "USERS_IDENTIFY",
        "USERS_MERGE"
      })
  void theFiveUserManagementEndpointsShareOneLimit(Permission permission) {
    assertThat(RateLimitGroup.of(permission)).isEqualTo(RateLimitGroup.USERS_MANAGEMENT);
  }

  @Test
  void segmentEndpointsShareBrazesDefaultPoolWithSegmentExports() {
    assertThat(RateLimitGroup.of(Permission.SEGMENTS_LIST))
        .isEqualTo(RateLimitGroup.of(Permission.USERS_EXPORT_SEGMENT));
    assertThat(RateLimitGroup.of(Permission.SEGMENTS_SIZE))
        .isEqualTo(RateLimitGroup.SEGMENTS_AND_EXPORTS);
  }

  @Test
  void limitsOfSeveralGroupsAreReadAndWrittenAsPairs() {
    Map<RateLimitGroup, RateLimit> limits =
        RateLimitGroup.parseLimits(" users.export.ids=40/1s, users.track=unlimited,");

    assertThat(limits)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                RateLimitGroup.USERS_TRACK,
                RateLimit.UNLIMITED,
                RateLimitGroup.USERS_EXPORT_IDS,
                RateLimit.parse("40/1s")));
    assertThat(RateLimitGroup.formatLimits(limits))
        .isEqualTo("users.track=unlimited,users.export.ids=40/1s");
    assertThat(RateLimitGroup.formatLimits(Map.of())).isEmpty();
    assertThat(RateLimitGroup.parseLimits("")).isEmpty();
  }

  @Test
  void anUnknownGroupOrAPairWithoutLimitIsRefusedByName() {
    assertThatThrownBy(() -> RateLimitGroup.parseLimits("users.trak=5/1s"))
        .hasMessageContaining("unknown rate-limit group 'users.trak'")
        .hasMessageContaining("users.track");
    assertThatThrownBy(() -> RateLimitGroup.parseLimits("users.track"))
        .hasMessageContaining("is not group=limit");
  }
}
