package dev.kiln.core.auth;

import java.net.InetAddress;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A REST API key as an operator sees it: never its secret, which is only stored as a hash.
 *
 * @param allowedIps empty means any address may use the key, as in Braze
 * @param revokedAt null while the key is active
 */
public record ApiKey(
    String name, Set<Permission> permissions, List<IpRange> allowedIps, Instant createdAt, Instant revokedAt) {

  public ApiKey {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    allowedIps = List.copyOf(allowedIps);
  }

  public static ApiKey create(String name, Set<Permission> permissions, List<IpRange> allowedIps, Instant now) {
    return new ApiKey(name, permissions, allowedIps, now, null);
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
