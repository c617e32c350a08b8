package dev.kiln.core.track;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Operations on JSON-shaped values (see {@link dev.kiln.core.profile.UserProfile}). */
public final class Values {
  /**
   * The largest number Kiln stores, as its messages write it: a double's range, which every JSON
   * reader and database holds.
   */
  public static final String LARGEST_NUMBER = "1.7976931348623157e308";

  private static final BigDecimal LARGEST = new BigDecimal(Double.MAX_VALUE);

  private Values() {}

  /** Whether the number is within a double's range, as everything Kiln stores must be. */
  public static boolean isStorable(Number n) {
    return Double.isFinite(n.doubleValue());
  }

  /** The number, or the largest storable one of its sign when it is beyond a double's range. */
  public static BigDecimal capped(BigDecimal n) {
    return isStorable(n) ? n : n.signum() > 0 ? LARGEST : LARGEST.negate();
  }

  /** Adds two numbers, staying with whole numbers while both are and the sum fits. */
  public static Object add(Object current, Number increment) {
    Number base = current instanceof Number number ? number : 0L;
    if (isWhole(base) && isWhole(increment)) {
      try {
        return Math.addExact(base.longValue(), increment.longValue());
      } catch (ArithmeticException overflow) {
        // falls through to decimal arithmetic
      }
    }
    return decimal(base).add(decimal(increment));
  }

  /** Equality as JSON sees it: 4 and 4.0 are the same number. */
  public static boolean jsonEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return decimal(x).compareTo(decimal(y)) == 0;
    }
    return a == null ? b == null : a.equals(b);
  }

  /** Braze's deep merge: objects merge key by key at every level; anything else replaces. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> deepMerge(
      Map<String, Object> base, Map<String, Object> update) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    update.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> nested && merged.get(key) instanceof Map<?, ?> existing) {
            merged.put(
                key, deepMerge((Map<String, Object>) existing, (Map<String, Object>) nested));
          } else {
            merged.put(key, value);
          }
        });
    return merged;
  }

  /**
   * The size of the value written as compact JSON, in bytes (times count as their $time object).
   */
  public static long jsonSize(Object value) {
    return switch (value) {
      case null -> 4;
      case String s -> quotedSize(s);
      case Boolean b -> b ? 4 : 5;
      case Number n -> n.toString().length();
      case Instant i -> 35; // {"$time":"2021-03-04T00:00:00.000Z"}
      case List<?> list ->
          2 + Math.max(0, list.size() - 1) + list.stream().mapToLong(Values::jsonSize).sum();
      case Map<?, ?> map ->
          2
              + Math.max(0, map.size() - 1)
              + map.entrySet().stream()
                  .mapToLong(e -> quotedSize((String) e.getKey()) + 1 + jsonSize(e.getValue()))
                  .sum();
      default -> throw new IllegalArgumentException("not a JSON-shaped value: " + value.getClass());
    };
  }

  private static long quotedSize(String s) {
    return 2L + s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static boolean isWhole(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
  }
}
