package dev.kiln.core.profile;

import java.util.Objects;

/**
 * What a {@link ProfileChange} did.
 *
 * @param refusal why the change was refused, for {@link Outcome#REFUSED} only
 */
public record ChangeResult(Outcome outcome, String refusal) {
  public static final ChangeResult CREATED = new ChangeResult(Outcome.CREATED, null);
  public static final ChangeResult UPDATED = new ChangeResult(Outcome.UPDATED, null);

  /** No user matched and the change was not allowed to create one. */
  public static final ChangeResult NO_USER = new ChangeResult(Outcome.NO_USER, null);

  public enum Outcome {
    CREATED,
    UPDATED,
    NO_USER,
    REFUSED
  }

  public ChangeResult {
    Objects.requireNonNull(outcome, "outcome == null");
    if ((outcome == Outcome.REFUSED) != (refusal != null)) {
      throw new IllegalArgumentException("a refusal, and only a refusal, says why");
    }
  }

  /**
   * The update's result could not be stored ({@link RefusedUpdate}): nothing of the change was
   * applied.
   */
  public static ChangeResult refused(String why) {
    return new ChangeResult(Outcome.REFUSED, why);
  }

  public boolean isRefused() {
    return outcome == Outcome.REFUSED;
  }
}
