package dev.kiln.core.identity;

import dev.kiln.core.profile.ExternalId;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /users/identify}: an anonymous user (alias-only, email-only or phone-only) takes the
 * external_id, or is merged into the user that has it.
 */
public record IdentifyUser(UserSelector anonymous, ExternalId externalId) implements UserOperation {
  public IdentifyUser {
    Objects.requireNonNull(anonymous, "anonymous == null");
    Objects.requireNonNull(externalId, "externalId == null");
  }

  @Override
  public OperationResult applyTo(IdentityTransaction transaction, Instant now) {
    Optional<UserProfile> found = anonymous.resolve(transaction);
    if (found.isEmpty()) {
      return OperationResult.skipped("no single user matches the identifier");
    }
    UserProfile user = found.get();
    if (user.externalId() != null) {
      return externalId.value().equals(user.externalId())
          ? OperationResult.APPLIED
          : OperationResult.skipped("the user is identified already");
    }
    Optional<UserProfile> identified = transaction.find(externalId.lookup());
    if (identified.isEmpty()) {
      transaction.save(user.withExternalId(externalId.value()).updatedAt(now));
      return OperationResult.APPLIED;
    }
    if (anonymous.lookup() instanceof UserLookup.Alias alias
        && Aliases.hasLabel(identified.get(), alias.alias().aliasLabel())) {
      return OperationResult.skipped("the identified user has an alias with that label already");
    }
    MergeUsers.merge(transaction, user, identified.get(), now);
    return OperationResult.APPLIED;
  }
}
