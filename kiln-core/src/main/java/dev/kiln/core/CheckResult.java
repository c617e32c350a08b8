package dev.kiln.core;

import java.util.Objects;

/**
 * The outcome of {@link Component#check()}: ok, or the reason it is not, worded for an operator.
 */
public record CheckResult(boolean ok, String reason) {
  public static final CheckResult OK = new CheckResult(true, null);

  public static CheckResult failed(String reason) {
    Objects.requireNonNull(reason, "reason == null");
    return new CheckResult(false, reason);
  }
}
