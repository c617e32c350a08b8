package dev.kiln.core.identity;

import dev.kiln.core.profile.UserProfile;

/** Questions about a user's aliases that several operations ask. */
final class Aliases {
  private Aliases() {}

  static boolean hasLabel(UserProfile user, String label) {
    return user.aliases().stream().anyMatch(alias -> alias.aliasLabel().equals(label));
  }
}
