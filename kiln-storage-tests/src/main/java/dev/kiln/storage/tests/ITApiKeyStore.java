package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.ApiKeyStore;
import dev.kiln.core.auth.IpRange;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitGroup;
import dev.kiln.core.storage.ProfileStorage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Contract: how a backend keeps API keys. */
public abstract class ITApiKeyStore<T extends ProfileStorage> extends ITStorage<T> {
  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.678Z");

  protected ITApiKeyStore(StorageHarness<T> harness) {
    super(harness);
  }

  private ApiKeyStore keys() {
    return storage.apiKeys();
  }

  @Test
  void createdKeyIsFoundByItsSecretHashWithEverythingItWasGiven() {
    ApiKey key =
        new ApiKey(
            "ci",
            EnumSet.of(Permission.USERS_TRACK, Permission.USERS_EXPORT_IDS),
            List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("2001:db8::/32")),
            CREATED,
            null,
            Map.of(
                RateLimitGroup.USERS_TRACK,
                RateLimit.UNLIMITED,
                RateLimitGroup.USERS_EXPORT_IDS,
                RateLimit.parse("40/1s")));
    keys().create(key, ApiKeySecrets.hash("secret-1"));

    assertThat(keys().findActive(ApiKeySecrets.hash("secret-1"))).contains(key);
    assertThat(keys().findActive(ApiKeySecrets.hash("secret-2"))).isEmpty();
  }

  @Test
  void secondActiveKeyWithTheSameNameIsAConflict() {
    keys()
        .create(
            ApiKey.create("ci", Set.of(Permission.USERS_TRACK), List.of(), CREATED),
            ApiKeySecrets.hash("a"));

    assertThatThrownBy(
            () ->
                keys()
                    .create(
                        ApiKey.create("ci", Set.of(), List.of(), CREATED), ApiKeySecrets.hash("b")))
        .isInstanceOf(KilnException.class)
        .satisfies(e -> assertThat(((KilnException) e).code()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessageContaining("'ci'");
    assertThat(keys().findActive(ApiKeySecrets.hash("b"))).isEmpty();
  }

  @Test
  void revokedKeyIsNeverFoundButStaysListedAndItsNameCanBeReused() {
    keys()
        .create(
            ApiKey.create("ci", Set.of(Permission.USERS_TRACK), List.of(), CREATED),
            ApiKeySecrets.hash("a"));

    assertThat(keys().revoke("ci")).isTrue();
    assertThat(keys().revoke("ci")).isFalse();
    assertThat(keys().revoke("never-existed")).isFalse();
    assertThat(keys().findActive(ApiKeySecrets.hash("a"))).isEmpty();
    assertThat(keys().list())
        .singleElement()
        .satisfies(
            listed -> {
              assertThat(listed.name()).isEqualTo("ci");
              assertThat(listed.active()).isFalse();
            });

    keys()
        .create(
            ApiKey.create("ci", Set.of(Permission.USERS_TRACK), List.of(), CREATED.plusSeconds(1)),
            ApiKeySecrets.hash("b"));
    assertThat(keys().findActive(ApiKeySecrets.hash("b"))).isPresent();
    assertThat(keys().list()).extracting(ApiKey::active).containsExactly(false, true);
  }

  @Test
  void listIsOldestFirstAndNeverShowsSecrets() {
    keys()
        .create(
            ApiKey.create("second", Set.of(), List.of(), CREATED.plus(1, ChronoUnit.HOURS)),
            ApiKeySecrets.hash("2"));
    keys()
        .create(
            ApiKey.create("first", Set.of(Permission.SEGMENTS_LIST), List.of(), CREATED),
            ApiKeySecrets.hash("1"));

    assertThat(keys().list()).extracting(ApiKey::name).containsExactly("first", "second");
    assertThat(keys().list().toString()).doesNotContain(ApiKeySecrets.hash("1"));
  }

  @Test
  void replaceKeepsExactlyOneActiveKeyOfTheNameWithTheNewestSecret() {
    ApiKey bootstrap =
        ApiKey.create("bootstrap", EnumSet.allOf(Permission.class), List.of(), CREATED);
    keys().replace(bootstrap, ApiKeySecrets.hash("first-secret"));
    keys().replace(bootstrap, ApiKeySecrets.hash("first-secret"));
    assertThat(keys().list()).hasSize(1);

    keys().replace(bootstrap, ApiKeySecrets.hash("second-secret"));
    assertThat(keys().findActive(ApiKeySecrets.hash("first-secret"))).isEmpty();
    assertThat(keys().findActive(ApiKeySecrets.hash("second-secret")))
        .hasValueSatisfying(
            key -> assertThat(key.permissions()).containsExactlyInAnyOrder(Permission.values()));
    assertThat(keys().list()).filteredOn(ApiKey::active).hasSize(1);
  }

  @Test
  void anOperatorGivesAKeyLimitsOfItsOwnAndTakesThemBack() {
    keys()
        .create(
            ApiKey.create("backfill", Set.of(Permission.USERS_TRACK), List.of(), CREATED),
            ApiKeySecrets.hash("b"));
    Map<RateLimitGroup, RateLimit> raised =
        Map.of(
            RateLimitGroup.USERS_TRACK,
            RateLimit.parse("100000/1m"),
            RateLimitGroup.USERS_TRACK_SYNC,
            RateLimit.UNLIMITED);

    assertThat(keys().setRateLimits("backfill", raised)).isTrue();
    assertThat(keys().findActive(ApiKeySecrets.hash("b"))).map(ApiKey::rateLimits).contains(raised);

    assertThat(keys().setRateLimits("backfill", Map.of())).isTrue();
    assertThat(keys().findActive(ApiKeySecrets.hash("b")))
        .map(ApiKey::rateLimits)
        .contains(Map.of());
    assertThat(keys().setRateLimits("nobody", raised)).isFalse();
  }

  @Test
  void theBootstrapKeyKeepsItsOwnLimitsWhenTheServerStartsAgain() {
    ApiKey bootstrap =
        ApiKey.create("bootstrap", EnumSet.allOf(Permission.class), List.of(), CREATED);
    keys().replace(bootstrap, ApiKeySecrets.hash("boot"));
    keys().setRateLimits("bootstrap", Map.of(RateLimitGroup.USERS_TRACK, RateLimit.UNLIMITED));

    keys().replace(bootstrap, ApiKeySecrets.hash("boot"));

    assertThat(keys().findActive(ApiKeySecrets.hash("boot")))
        .map(ApiKey::rateLimits)
        .contains(Map.of(RateLimitGroup.USERS_TRACK, RateLimit.UNLIMITED));
  }

  @Test
  void keysSurviveReopeningTheStore() {
    keys()
        .create(
            ApiKey.create("durable", Set.of(Permission.USERS_TRACK), List.of(), CREATED),
            ApiKeySecrets.hash("d"));

    try (T reopened = reopen()) {
      assertThat(reopened.apiKeys().findActive(ApiKeySecrets.hash("d")))
          .map(ApiKey::name)
          .contains("durable");
    }
  }
}
