package dev.kiln.core.identity;

import java.util.Objects;

/**
 * What a {@link UserOperation} did: applied, or left everything as it was and says why. Braze
 * reports the reason of renames and removals in {@code rename_errors} and {@code removal_errors};
 * the other endpoints report none, as Braze's do not.
 */
public record OperationResult(boolean applied, String reason) {
  public static final OperationResult APPLIED = new OperationResult(true, null);

  public OperationResult {
    if (applied == (reason != null)) {
      throw new IllegalArgumentException(
          "an applied operation has no reason; a skipped one has one");
    }
  }

  public static OperationResult skipped(String reason) {
    return new OperationResult(false, Objects.requireNonNull(reason, "reason == null"));
  }
}
