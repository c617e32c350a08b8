package dev.kiln.core.identity;

import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@code POST /users/merge}: one user's data goes into another, then the first is deleted. */
public record MergeUsers(UserSelector toMerge, UserSelector toKeep) implements UserOperation {
  public MergeUsers {
    Objects.requireNonNull(toMerge, "toMerge == null");
    Objects.requireNonNull(toKeep, "toKeep == null");
  }

  @Override
  public OperationResult applyTo(IdentityTransaction transaction, Instant now) {
    Optional<UserProfile> merged = toMerge.resolve(transaction);
    Optional<UserProfile> kept = toKeep.resolve(transaction);
    if (merged.isEmpty() || kept.isEmpty()) {
      return OperationResult.skipped(
          "no single user matches "
              + (merged.isEmpty() ? "identifier_to_merge" : "identifier_to_keep"));
    }
    if (merged.get().brazeId().equals(kept.get().brazeId())) {
      return OperationResult.skipped("both identifiers name the same user");
    }
    merge(transaction, merged.get(), kept.get(), now);
    return OperationResult.APPLIED;
  }

  /**
   * Braze's merge, shared with identify: {@code merged}'s data joins {@code kept}, and {@code
   * merged} is deleted.
   */
  static void merge(
      IdentityTransaction transaction, UserProfile merged, UserProfile kept, Instant now) {
    transaction.moveActivity(merged, kept);
    // Deleted before the kept user is saved: its aliases move, and an alias names one user at a
    // time.
    transaction.delete(merged);
    transaction.save(ProfileMerge.into(kept, merged).updatedAt(now));
  }
}
