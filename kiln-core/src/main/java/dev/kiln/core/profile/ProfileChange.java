package dev.kiln.core.profile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One object's change to one user.
 *
 * @param createIfMissing false is Braze's {@code _update_existing_only: true}: an unknown user is
 *     skipped, nothing is created
 * @param activities raw rows to append for the user, in the same transaction
 * @param sameEmailUpdate applied as well to every other user with the changed user's email (Braze
 *     applies subscription changes that way); null when there is none
 */
public record ProfileChange(
    UserLookup lookup,
    boolean createIfMissing,
    ProfileUpdate update,
    List<ActivityRecord> activities,
    ProfileUpdate sameEmailUpdate) {

  public ProfileChange {
    Objects.requireNonNull(lookup, "lookup == null");
    Objects.requireNonNull(update, "update == null");
    activities = List.copyOf(activities);
  }

  public ProfileChange(UserLookup lookup, boolean createIfMissing, ProfileUpdate update) {
    this(lookup, createIfMissing, update, List.of(), null);
  }

  public Optional<ProfileUpdate> sameEmail() {
    return Optional.ofNullable(sameEmailUpdate);
  }
}
