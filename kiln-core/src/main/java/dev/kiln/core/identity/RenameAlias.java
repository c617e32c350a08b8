package dev.kiln.core.identity;

import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /users/alias/update}: the user holding (label, old name) holds (label, new name)
 * instead.
 */
public record RenameAlias(String aliasLabel, String oldAliasName, String newAliasName)
    implements UserOperation {
  public RenameAlias {
    Objects.requireNonNull(aliasLabel, "aliasLabel == null");
    Objects.requireNonNull(oldAliasName, "oldAliasName == null");
    Objects.requireNonNull(newAliasName, "newAliasName == null");
  }

  @Override
  public OperationResult applyTo(IdentityTransaction transaction, Instant now) {
    Optional<UserProfile> holder =
        transaction.find(new UserLookup.Alias(new UserAlias(oldAliasName, aliasLabel)));
    if (holder.isEmpty()) {
      return OperationResult.skipped("no user holds the alias");
    }
    if (oldAliasName.equals(newAliasName)) {
      return OperationResult.APPLIED;
    }
    UserAlias renamed = new UserAlias(newAliasName, aliasLabel);
    if (transaction.find(new UserLookup.Alias(renamed)).isPresent()) {
      return OperationResult.skipped("another user holds the new alias");
    }
    transaction.save(
        holder.get().withAlias(renamed).updatedAt(now)); // replaces the name of its label
    return OperationResult.APPLIED;
  }
}
