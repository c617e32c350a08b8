package dev.kiln.core.storage;

import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.util.Optional;

/** The read role of {@link ProfileStorage} for single users. */
public interface ProfileReader {

  /**
   * The user an identifier names. An email or phone shared by several users resolves as Braze does:
   * the most recently updated user with an external_id, else the most recently updated one.
   */
  Optional<UserProfile> find(UserLookup lookup);
}
