package dev.kiln.core.identity;

import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.util.List;
import java.util.Optional;

/**
 * The store's primitives inside one transaction of {@link dev.kiln.core.storage.UserDirectory}: the
 * semantics of aliases, identify, merge, delete and external_id renames are in {@link
 * UserOperation}s, which a backend runs over these. Users are named by their braze_id; every read
 * sees the transaction's own writes.
 */
public interface IdentityTransaction {

  /**
   * The user an external_id (its primary one or a deprecated one), alias or braze_id names, locked
   * until the transaction ends. Not for emails and phones: see {@link #holders}.
   */
  Optional<UserProfile> find(UserLookup lookup);

  /** Every user whose email (or phone) is the lookup's. */
  List<UserProfile> holders(UserLookup contact);

  /** Stores a new user; its identifiers are free. */
  void create(UserProfile user);

  /** Replaces a stored user's profile, identifiers and aliases included. */
  void save(UserProfile user);

  /** Gives the raw custom events and purchases of {@code from} to {@code to}. */
  void moveActivity(UserProfile from, UserProfile to);

  /**
   * Deletes the user with everything of it: aliases, raw events and purchases, deprecated
   * external_ids.
   */
  void delete(UserProfile user);

  /** Keeps {@code externalId}, no longer the user's primary one, naming {@code owner}. */
  void deprecate(String externalId, UserProfile owner);

  /** Lets a deprecated external_id go: it names nobody afterwards. */
  void removeDeprecated(String externalId);
}
