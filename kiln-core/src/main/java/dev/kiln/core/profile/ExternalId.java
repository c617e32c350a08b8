package dev.kiln.core.profile;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * An external_id a user may be given: Braze takes fewer than 988 bytes of UTF-8 (edge case 27,
 * docs/braze-reference.md). This type is the one place that bound and its wording are decided: the
 * decoders {@link #parse} what a request gives and word their refusal with {@link #tooLong}, and an
 * operation that gives a user an external_id holds one of these, so it can never store a longer
 * one. Looking a user up by an external_id takes any string ({@link UserLookup.ExternalId}): a
 * longer one simply names no user.
 */
public record ExternalId(String value) {
  /** The most bytes of UTF-8 an external_id may take. */
  public static final int MAX_BYTES = 987;

  /**
   * @throws KilnException {@code INVALID_INPUT} with {@link #tooLong}'s message when it does not
   *     fit
   */
  public ExternalId {
    Objects.requireNonNull(value, "value == null");
    if (!fits(value)) {
      throw new KilnException(ErrorCode.INVALID_INPUT, tooLong("external_id"));
    }
  }

  /** The external_id, or empty when {@code value} is over the bound. */
  public static Optional<ExternalId> parse(String value) {
    return fits(value) ? Optional.of(new ExternalId(value)) : Optional.empty();
  }

  /**
   * A char takes at most 3 bytes of UTF-8 (a surrogate pair 4 for 2 chars), so an id of up to a
   * third of the bound in chars fits without being encoded: that is nearly every id /users/track
   * sees, and the check runs twice on each (in {@link #parse} and in the constructor).
   */
  private static boolean fits(String value) {
    return value.length() <= MAX_BYTES / 3
        || value.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }

  /**
   * Braze's answer to a too long external_id given in {@code field}, e.g. {@code new_external_id}.
   */
  public static String tooLong(String field) {
    return "'" + field + "' must be fewer than " + (MAX_BYTES + 1) + " bytes";
  }

  /** The lookup that finds the user holding this external_id. */
  public UserLookup.ExternalId lookup() {
    return new UserLookup.ExternalId(value);
  }
}
