package dev.kiln.core.profile;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Creates the profile of a user that does not exist yet, carrying the identifier it was looked up
 * by: an external_id or alias as such, an email or phone as the standard attribute (Braze's
 * email-only and phone-only users). A braze_id names a user Kiln already made, so it creates none.
 */
public final class NewUsers {
  private static final SecureRandom RANDOM = new SecureRandom();

  private NewUsers() {}

  public static Optional<UserProfile> create(UserLookup lookup, Instant now) {
    UserProfile blank = UserProfile.blank(newBrazeId(), RANDOM.nextInt(10_000), now);
    return switch (lookup) {
      case UserLookup.ExternalId id -> Optional.of(blank.withExternalId(id.value()));
      case UserLookup.Alias alias -> Optional.of(blank.withAlias(alias.alias()));
      case UserLookup.Email email ->
          Optional.of(blank.withAttributes(Map.of("email", email.value())));
      case UserLookup.Phone phone ->
          Optional.of(blank.withAttributes(Map.of("phone", phone.value())));
      case UserLookup.BrazeId ignored -> Optional.empty();
    };
  }

  /** 12 random bytes as 24 hex characters: the shape of Braze's ObjectId-like braze_id. */
  static String newBrazeId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
