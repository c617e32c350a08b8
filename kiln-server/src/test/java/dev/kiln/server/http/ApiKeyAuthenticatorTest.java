package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.ApiKeyStore;
import dev.kiln.core.auth.IpRange;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitGroup;
import dev.kiln.storage.jdbc.ratelimit.LocalRateLimiter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Braze's API-key rules (docs/braze-reference.md sections 1.1-1.4) as the authenticator applies
 * them, over an in-memory key store: which secret a request presents, 401 for a missing, unknown or
 * revoked key, 403 for a missing permission or an address outside the allowlist, and where the rate
 * limit is counted. ITAuthentication keeps every route guarded over HTTP and the legacy keys read
 * from a real query string and body.
 */
class ApiKeyAuthenticatorTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final ApiRoute TRACK =
      ApiRoute.post("/users/track", Permission.USERS_TRACK, ctx -> {});
  private static final String LOCAL = "127.0.0.1";

  private final InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
  private final ApiKeyAuthenticator authenticator =
      new ApiKeyAuthenticator(
          keys,
          RateLimiting.enforcing(
              Map.of(RateLimitGroup.USERS_TRACK, RateLimit.parse("1/1h")),
              new LocalRateLimiter(Clock.systemUTC()),
              false,
              Clock.systemUTC()));
  private final Map<String, String> headers = new HashMap<>();

  // --- the secret a request presents ---

  @Test
  void theBearerSchemeIsCaseInsensitive() {
    String secret = key("bearer", EnumSet.allOf(Permission.class), List.of());
    assertThat(admitted(presented("bearer " + secret, null, null), LOCAL).name())
        .isEqualTo("bearer");
    assertThat(presented("BEARER abc ", null, null)).contains("abc");
  }

  @Test
  void aNonBearerAuthorizationHeaderIs401EvenWithAValidLegacyKey() {
    String secret = key("legacy", EnumSet.allOf(Permission.class), List.of());
    assertRefused(presented("Basic xyz", null, null), LOCAL, 401, "Invalid API Key");
    assertRefused(presented("Basic xyz", secret, secret), LOCAL, 401, "Invalid API Key");
  }

  @Test
  void withoutTheHeaderTheQueryKeyComesBeforeTheBodyKey() {
    assertThat(presented(null, "from-query", "from-body")).contains("from-query");
    assertThat(presented(null, null, "from-body")).contains("from-body");
    assertThat(presented(null, null, null)).isEmpty();
  }

  private static Optional<String> presented(String header, String query, String body) {
    return ApiKeyAuthenticator.presentedSecret(header, query, () -> Optional.ofNullable(body));
  }

  // --- 401 Invalid API Key ---

  @Test
  void noKeyIs401() {
    assertRefused(Optional.empty(), LOCAL, 401, "Invalid API Key");
  }

  @Test
  void anUnknownKeyIs401() {
    assertRefused(Optional.of(ApiKeySecrets.generate()), LOCAL, 401, "Invalid API Key");
  }

  @Test
  void aRevokedKeyIs401() {
    String secret = key("revoked", EnumSet.allOf(Permission.class), List.of());
    keys.revoke("revoked");
    assertRefused(Optional.of(secret), LOCAL, 401, "Invalid API Key");
  }

  @Test
  void aKeyWrappedInQuotesOrAnEmptyBearerTokenIs401() {
    String secret = key("quoted", EnumSet.allOf(Permission.class), List.of());
    // docs/braze-reference.md section 1.4: "a key wrapped in quotes" is a 401.
    assertRefused(
        presented("Bearer \"" + secret + "\"", null, null), LOCAL, 401, "Invalid API Key");
    assertRefused(presented("Bearer ", null, null), LOCAL, 401, "Invalid API Key");
  }

  @Test
  void anUnknownLegacyKeyIs401() {
    String unknown = ApiKeySecrets.generate();
    assertRefused(presented(null, unknown, null), LOCAL, 401, "Invalid API Key");
    assertRefused(presented(null, null, unknown), LOCAL, 401, "Invalid API Key");
  }

  // --- 403 Access Denied ---

  @Test
  void aKeyWithoutTheRoutesPermissionIs403WithItsRateLimitHeaders() {
    EnumSet<Permission> allBut = EnumSet.allOf(Permission.class);
    allBut.remove(Permission.USERS_TRACK);
    String secret = key("lacking", allBut, List.of());

    assertRefused(Optional.of(secret), LOCAL, 403, "Access Denied");
    assertThat(headers).containsEntry(RateLimiting.LIMIT, "1");
  }

  @Test
  void aKeyUsedFromOutsideItsAllowlistIs403AndCountsNothing() {
    String secret = key("elsewhere", EnumSet.allOf(Permission.class), List.of("10.0.0.0/8"));

    assertRefused(Optional.of(secret), LOCAL, 403, "Access Denied");
    assertThat(headers).as("refused before counting").isEmpty();
    assertThat(admitted(secret, "10.1.2.3").name())
        .as("the owner's one request of the hour is still there")
        .isEqualTo("elsewhere");
  }

  @Test
  void aKeyWithOnlyTheRoutesPermissionFromAnAllowedAddressIsLetIn() {
    String secret = key("allowed", Set.of(Permission.USERS_TRACK), List.of("127.0.0.1/32"));
    assertThat(admitted(secret, LOCAL).name()).isEqualTo("allowed");
    assertThat(headers).containsEntry(RateLimiting.REMAINING, "0");
  }

  @Test
  void anAllowlistMayNameIpv6Ranges() {
    String secret = key("v6", EnumSet.allOf(Permission.class), List.of("2001:db8::/32"));
    assertThat(admitted(secret, "2001:db8::1").name()).isEqualTo("v6");
    assertRefused(Optional.of(secret), "2001:db9::1", 403, "Access Denied");
  }

  @Test
  void overTheLimitIs429BeforeThePermissionIsChecked() {
    String secret = key("busy", Set.of(Permission.USERS_EXPORT_IDS), List.of());
    assertRefused(Optional.of(secret), LOCAL, 403, "Access Denied");

    ApiError refused = refusal(Optional.of(secret), LOCAL);
    assertThat(refused.status()).isEqualTo(429);
  }

  // --- helpers ---

  /** Stores a new active key and returns its secret. */
  private String key(String name, Set<Permission> permissions, List<String> allowedIps) {
    String secret = ApiKeySecrets.generate();
    List<IpRange> ranges = allowedIps.stream().map(IpRange::parse).toList();
    keys.create(ApiKey.create(name, permissions, ranges, NOW), ApiKeySecrets.hash(secret));
    return secret;
  }

  private ApiKey admitted(String secret, String address) {
    return admitted(Optional.of(secret), address);
  }

  private ApiKey admitted(Optional<String> secret, String address) {
    return authenticator.admit(secret, address, TRACK, headers::put);
  }

  private ApiError refusal(Optional<String> secret, String address) {
    return assertThrows(
        ApiError.class, () -> authenticator.admit(secret, address, TRACK, headers::put));
  }

  private void assertRefused(Optional<String> secret, String address, int status, String message) {
    ApiError refused = refusal(secret, address);
    assertThat(refused.status()).isEqualTo(status);
    assertThat(refused.body()).isEqualTo(Map.of("message", message));
  }

  /** Kiln's key store in memory: hashes to keys, active until revoked. */
  private static final class InMemoryApiKeyStore implements ApiKeyStore {
    private final Map<String, ApiKey> byHash = new LinkedHashMap<>();

    @Override
    public void create(ApiKey key, String secretHash) {
      byHash.put(secretHash, key);
    }

    @Override
    public Optional<ApiKey> findActive(String secretHash) {
      return Optional.ofNullable(byHash.get(secretHash)).filter(ApiKey::active);
    }

    @Override
    public List<ApiKey> list() {
      return new ArrayList<>(byHash.values());
    }

    @Override
    public boolean revoke(String name) {
      for (Map.Entry<String, ApiKey> entry : byHash.entrySet()) {
        ApiKey key = entry.getValue();
        if (key.name().equals(name) && key.active()) {
          entry.setValue(
              new ApiKey(
                  name,
                  key.permissions(),
                  key.allowedIps(),
                  key.createdAt(),
                  NOW,
                  key.rateLimits()));
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean setRateLimits(String name, Map<RateLimitGroup, RateLimit> limits) {
      throw new UnsupportedOperationException("not used by the authenticator");
    }

    @Override
    public void replace(ApiKey key, String secretHash) {
      create(key, secretHash);
    }
  }
}
