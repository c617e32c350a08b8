package dev.kiln.core.identity;

import dev.kiln.core.profile.ExternalId;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /users/external_ids/rename}: the user's external_id becomes {@code newExternalId};
 * the current one is deprecated and keeps naming the user until it is removed. The reasons are
 * Braze's {@code rename_errors}.
 */
public record RenameExternalId(String currentExternalId, ExternalId newExternalId)
    implements UserOperation {
  public static final String SAME_IDS = "'current_external_id' and 'new_external_id' must differ";
  public static final String NO_USER = "'current_external_id' does not name a user";
  public static final String DEPRECATED =
      "'current_external_id' is deprecated; only a primary external_id can be renamed";
  public static final String IN_USE = "'new_external_id' is already in use";

  public RenameExternalId {
    Objects.requireNonNull(currentExternalId, "currentExternalId == null");
    Objects.requireNonNull(newExternalId, "newExternalId == null");
  }

  @Override
  public OperationResult applyTo(IdentityTransaction transaction, Instant now) {
    if (currentExternalId.equals(newExternalId.value())) {
      return OperationResult.skipped(SAME_IDS);
    }
    Optional<UserProfile> user = transaction.find(new UserLookup.ExternalId(currentExternalId));
    if (user.isEmpty()) {
      return OperationResult.skipped(NO_USER);
    }
    if (!currentExternalId.equals(user.get().externalId())) {
      return OperationResult.skipped(DEPRECATED);
    }
    if (transaction.find(newExternalId.lookup()).isPresent()) {
      return OperationResult.skipped(IN_USE);
    }
    // Braze: a rename logs no data point, so the profile's update time stays as it was.
    transaction.save(user.get().withExternalId(newExternalId.value()));
    transaction.deprecate(currentExternalId, user.get());
    return OperationResult.APPLIED;
  }
}
