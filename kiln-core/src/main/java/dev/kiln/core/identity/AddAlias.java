package dev.kiln.core.identity;

import dev.kiln.core.profile.NewUsers;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /users/alias/new}: the alias is added to the user with {@code externalId}, or names a
 * new alias-only user when there is none.
 *
 * @param externalId null for a new alias-only user
 */
public record AddAlias(UserAlias alias, String externalId) implements UserOperation {
  public AddAlias {
    Objects.requireNonNull(alias, "alias == null");
  }

  @Override
  public OperationResult applyTo(IdentityTransaction transaction, Instant now) {
    Optional<UserProfile> holder = transaction.find(new UserLookup.Alias(alias));
    if (externalId == null) {
      if (holder.isPresent()) {
        return OperationResult.skipped("a user holds the alias already");
      }
      transaction.create(NewUsers.create(new UserLookup.Alias(alias), now).orElseThrow());
      return OperationResult.APPLIED;
    }
    Optional<UserProfile> user = transaction.find(new UserLookup.ExternalId(externalId));
    if (user.isEmpty()) {
      return OperationResult.skipped("no user has the external_id");
    }
    if (holder.isPresent()) {
      return holder.get().brazeId().equals(user.get().brazeId())
          ? OperationResult.APPLIED
          : OperationResult.skipped("another user holds the alias");
    }
    if (Aliases.hasLabel(user.get(), alias.aliasLabel())) {
      // One name per label: /users/alias/update renames it, a new alias does not replace it.
      return OperationResult.skipped("the user has an alias with that label already");
    }
    transaction.save(user.get().withAlias(alias).updatedAt(now));
    return OperationResult.APPLIED;
  }
}
