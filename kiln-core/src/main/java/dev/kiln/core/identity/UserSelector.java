package dev.kiln.core.identity;

import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.util.Objects;
import java.util.Optional;

/**
 * How a user management request names a user: an identifier, and with an email or phone the
 * prioritization that picks one of the users holding it.
 *
 * @param prioritization required with an email or phone, null otherwise
 */
public record UserSelector(UserLookup lookup, Prioritization prioritization) {
  public UserSelector {
    Objects.requireNonNull(lookup, "lookup == null");
    if (isContact(lookup) != (prioritization != null)) {
      throw new IllegalArgumentException(
          "a prioritization goes with an email or phone, and only with them");
    }
  }

  public static UserSelector of(UserLookup lookup) {
    return new UserSelector(lookup, null);
  }

  Optional<UserProfile> resolve(IdentityTransaction transaction) {
    return isContact(lookup)
        ? prioritization.choose(transaction.holders(lookup))
        : transaction.find(lookup);
  }

  private static boolean isContact(UserLookup lookup) {
    return lookup instanceof UserLookup.Email || lookup instanceof UserLookup.Phone;
  }
}
