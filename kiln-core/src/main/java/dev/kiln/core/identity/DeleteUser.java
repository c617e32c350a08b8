package dev.kiln.core.identity;

import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@code POST /users/delete}: the user and everything of it is gone. */
public record DeleteUser(UserSelector user) implements UserOperation {
  public DeleteUser {
    Objects.requireNonNull(user, "user == null");
  }

  @Override
  public OperationResult applyTo(IdentityTransaction transaction, Instant now) {
    Optional<UserProfile> found = user.resolve(transaction);
    if (found.isEmpty()) {
      return OperationResult.skipped("no single user matches the identifier");
    }
    transaction.delete(found.get());
    return OperationResult.APPLIED;
  }
}
