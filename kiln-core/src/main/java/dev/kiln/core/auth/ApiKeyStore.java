package dev.kiln.core.auth;

import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitGroup;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Storage role for API keys. Secrets arrive already hashed; a store never sees one. */
public interface ApiKeyStore {

  /**
   * Stores a new active key.
   *
   * @throws dev.kiln.core.KilnException {@code CONFLICT} when an active key already has the name or
   *     the secret
   */
  void create(ApiKey key, String secretHash);

  /** The active key with this secret hash, if any. Revoked keys are never returned. */
  Optional<ApiKey> findActive(String secretHash);

  /** Every key, active and revoked, oldest first. */
  List<ApiKey> list();

  /**
   * Revokes the active key with this name.
   *
   * @return false when no active key has the name
   */
  boolean revoke(String name);

  /**
   * Gives the active key with this name exactly these limits of its own, replacing the ones it had;
   * an empty map puts it back on the server's limits.
   *
   * @return false when no active key has the name
   */
  boolean setRateLimits(String name, Map<RateLimitGroup, RateLimit> limits);

  /**
   * Makes {@code key} the one active key of its name with exactly this secret hash and permissions,
   * replacing an earlier one. Used for the operator's bootstrap key ({@code KILN_API_KEY}).
   */
  void replace(ApiKey key, String secretHash);
}
