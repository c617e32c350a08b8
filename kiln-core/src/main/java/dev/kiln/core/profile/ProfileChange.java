package dev.kiln.core.profile;

import java.util.Objects;

/**
 * One object's change to one user.
 *
 * @param createIfMissing false is Braze's {@code _update_existing_only: true}: an unknown user is
 *     skipped, nothing is created
 */
public record ProfileChange(UserLookup lookup, boolean createIfMissing, ProfileUpdate update) {
  public ProfileChange {
    Objects.requireNonNull(lookup, "lookup == null");
    Objects.requireNonNull(update, "update == null");
  }
}
