package dev.kiln.core.profile;

import java.time.Instant;

/**
 * A pure function from a profile to its next state: Braze's semantics live in implementations of
 * this, and a backend only loads, applies and saves, inside its transaction.
 */
@FunctionalInterface
public interface ProfileUpdate {
  UserProfile apply(UserProfile current, Instant now);
}
