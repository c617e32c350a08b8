package dev.kiln.segment;

import java.util.Objects;

/**
 * An operator applied as one type, with its checked value: a {@code String}, a {@code BigDecimal},
 * a {@code List} of strings, a {@code NumberRange}, an {@code Instant}, a whole number of days, or
 * null for operators without a value.
 */
public record Condition(ValueType type, Operator op, Object value) {
  public Condition {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(op, "op == null");
  }

  /** The value of {@code between}: both ends included. */
  public record NumberRange(java.math.BigDecimal low, java.math.BigDecimal high) {}
}
