package dev.kiln.core.auth;

import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitGroup;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A REST API key as an operator sees it: never its secret, which is only stored as a hash.
 *
 * @param allowedIps empty means any address may use the key, as in Braze
 * @param revokedAt null while the key is active
 * @param rateLimits the operator's limits for this key where they differ from the server's, by
 *     group; {@link RateLimit#UNLIMITED} turns a group's limit off (Braze raises limits on request)
 */
public record ApiKey(
    String name,
    Set<Permission> permissions,
    List<IpRange> allowedIps,
    Instant createdAt,
    Instant revokedAt,
    Map<RateLimitGroup, RateLimit> rateLimits) {

  public ApiKey {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    allowedIps = List.copyOf(allowedIps);
    rateLimits =
        rateLimits.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(rateLimits));
  }

  public static ApiKey create(
      String name, Set<Permission> permissions, List<IpRange> allowedIps, Instant now) {
    return new ApiKey(name, permissions, allowedIps, now, null, Map.of());
  }

  /** This key with these limits of its own instead of the ones it had. */
  public ApiKey withRateLimits(Map<RateLimitGroup, RateLimit> limits) {
    return new ApiKey(name, permissions, allowedIps, createdAt, revokedAt, limits);
  }

  /** The key's own limit for a group, when the operator gave it one. */
  public Optional<RateLimit> rateLimit(RateLimitGroup group) {
    return Optional.ofNullable(rateLimits.get(group));
  }

  /**
   * What tells this key apart from every other, for counting its requests: its name, and its
   * creation time for a key that reuses a revoked key's name (a name alone would hand it the old
   * key's counts).
   */
  public String identity() {
    return createdAt.toEpochMilli() + "|" + name;
  }

  public boolean active() {
    return revokedAt == null;
  }

  public boolean grants(Permission permission) {
    return permissions.contains(permission);
  }

  public boolean admits(InetAddress address) {
    return allowedIps.isEmpty() || allowedIps.stream().anyMatch(range -> range.contains(address));
  }
}
