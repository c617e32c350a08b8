package dev.kiln.core.identity;

import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /users/external_ids/remove}: a deprecated external_id stops naming its user. A
 * primary one cannot be removed. The reasons are Braze's {@code removal_errors}.
 */
public record RemoveExternalId(String externalId) implements UserOperation {
  public static final String NO_USER = "the external_id does not name a user";
  public static final String PRIMARY =
      "the external_id is a primary one; only deprecated external_ids can be removed";

  public RemoveExternalId {
    Objects.requireNonNull(externalId, "externalId == null");
  }

  @Override
  public OperationResult applyTo(IdentityTransaction transaction, Instant now) {
    Optional<UserProfile> user = transaction.find(new UserLookup.ExternalId(externalId));
    if (user.isEmpty()) {
      return OperationResult.skipped(NO_USER);
    }
    if (externalId.equals(user.get().externalId())) {
      return OperationResult.skipped(PRIMARY);
    }
    transaction.removeDeprecated(externalId);
    return OperationResult.APPLIED;
  }
}
