package dev.kiln.server.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator: draws one value from a random source. The fuzz suite's own, with only what its
 * generators need; there is no shrinking, since a failure names its seed and try, and the same try
 * draws the same value again ({@link FuzzSuite}).
 *
 * <p>Bounds are drawn more often than their share: a number or a size in a range is its lower bound
 * one time in 16 and its upper bound one time in 16 (so empty and full lists, shortest and longest
 * strings come often), and uniform otherwise.
 */
@FunctionalInterface
interface Gen<T> {
  /** One time in this many, a range gives its lower bound; as often, its upper one. */
  int BOUND_ODDS = 16;

  /** How many values in a row {@link #filter} may throw away before it gives up. */
  int MAX_FILTER_MISSES = 10_000;

  String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  String DIGITS = "0123456789";

  T next(SplittableRandom random);

  default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
    return random -> mapper.apply(next(random));
  }

  /** Values that pass {@code keep}; the others are drawn again. */
  default Gen<T> filter(Predicate<? super T> keep) {
    return random -> {
      for (int miss = 0; miss < MAX_FILTER_MISSES; miss++) {
        T value = next(random);
        if (keep.test(value)) {
          return value;
        }
      }
      throw new IllegalStateException(
          MAX_FILTER_MISSES + " values in a row did not pass the filter");
    };
  }

  /** Lists of {@code minSize} to {@code maxSize} values, each drawn on its own. */
  default Gen<List<T>> list(int minSize, int maxSize) {
    Gen<Integer> sizes = ints(minSize, maxSize);
    return random -> {
      int size = sizes.next(random);
      List<T> values = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        values.add(next(random));
      }
      return values;
    };
  }

  /** A value with probability {@code presence}, else empty. */
  default Gen<Optional<T>> optional(double presence) {
    return random -> random.nextDouble() < presence ? Optional.of(next(random)) : Optional.empty();
  }

  /** Null with probability {@code nullProbability}, else a value. */
  default Gen<T> orNull(double nullProbability) {
    return random -> random.nextDouble() < nullProbability ? null : next(random);
  }

  static <T> Gen<T> constant(T value) {
    return random -> value;
  }

  /** One of the values, each as likely. */
  static <T> Gen<T> of(List<? extends T> values) {
    List<? extends T> copy = List.copyOf(values);
    return random -> copy.get(random.nextInt(copy.size()));
  }

  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only copied into a list
  static <T> Gen<T> of(T... values) {
    return of(Arrays.asList(values));
  }

  /** A value of one of the generators, each as likely. */
  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only copied into a list
  static <T> Gen<T> oneOf(Gen<? extends T>... choices) {
    List<Gen<? extends T>> copy = List.of(choices);
    return random -> copy.get(random.nextInt(copy.size())).next(random);
  }

  /** A generator with its weight, for {@link #frequency}. */
  record Choice<T>(int weight, Gen<? extends T> gen) {}

  static <T> Choice<T> weight(int weight, Gen<? extends T> gen) {
    return new Choice<>(weight, gen);
  }

  /** A value of one of the generators, each chosen in proportion to its weight. */
  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only copied into a list
  static <T> Gen<T> frequency(Choice<? extends T>... choices) {
    List<Choice<? extends T>> copy = List.of(choices);
    int total = copy.stream().mapToInt(Choice::weight).sum();
    return random -> {
      int ticket = random.nextInt(total);
      for (Choice<? extends T> choice : copy) {
        ticket -= choice.weight();
        if (ticket < 0) {
          return choice.gen().next(random);
        }
      }
      throw new AssertionError("unreachable: the tickets add up to the total weight");
    };
  }

  /** {@code minSize} to {@code maxSize} different values of the list, in a random order. */
  static <T> Gen<List<T>> subsetOf(List<T> values, int minSize, int maxSize) {
    Gen<Integer> sizes = ints(minSize, Math.min(maxSize, values.size()));
    return random -> {
      List<T> remaining = new ArrayList<>(values);
      List<T> subset = new ArrayList<>();
      for (int size = sizes.next(random); subset.size() < size; ) {
        subset.add(remaining.remove(random.nextInt(remaining.size())));
      }
      return subset;
    };
  }

  /** Integers from {@code min} to {@code max}, both included; the bounds more often (see above). */
  static Gen<Integer> ints(int min, int max) {
    return longs(min, max).map(Long::intValue);
  }

  /** Longs from {@code min} to {@code max}, both included; the bounds more often (see above). */
  static Gen<Long> longs(long min, long max) {
    if (min > max) {
      throw new IllegalArgumentException("an empty range: " + min + " to " + max);
    }
    return random ->
        switch (random.nextInt(BOUND_ODDS)) {
          case 0 -> min;
          case 1 -> max;
          default ->
              max < Long.MAX_VALUE
                  ? random.nextLong(min, max + 1) // max + 1 would overflow otherwise
                  : min > Long.MIN_VALUE ? random.nextLong(min - 1, max) + 1 : random.nextLong();
        };
  }

  /** Doubles from {@code min} to {@code max}, both included; the bounds more often (see above). */
  static Gen<Double> doubles(double min, double max) {
    return random ->
        switch (random.nextInt(BOUND_ODDS)) {
          case 0 -> min;
          case 1 -> max;
          default -> min + random.nextDouble() * (max - min);
        };
  }

  /**
   * Any int: near zero (-1,000 to 1,000) or anywhere (the extremes often) alike, now and then 0 or
   * ±1.
   */
  static Gen<Integer> anyInt() {
    return frequency(
        weight(4, ints(-1_000, 1_000)),
        weight(4, ints(Integer.MIN_VALUE, Integer.MAX_VALUE)),
        weight(1, of(0, 1, -1)));
  }

  /**
   * Any long: near zero (-1,000 to 1,000) or anywhere (the extremes often) alike, now and then 0 or
   * ±1.
   */
  static Gen<Long> anyLong() {
    return frequency(
        weight(4, longs(-1_000, 1_000)),
        weight(4, longs(Long.MIN_VALUE, Long.MAX_VALUE)),
        weight(1, of(0L, 1L, -1L)));
  }

  /**
   * Any finite double: hundredths near zero, or any bit pattern that is a finite number (tiny,
   * huge, subnormal) alike, now and then one of the usual edges.
   */
  static Gen<Double> anyDouble() {
    Gen<Double> hundredths = longs(-100_000, 100_000).map(n -> n / 100.0);
    Gen<Double> anyBits =
        random -> {
          double value;
          do {
            value = Double.longBitsToDouble(random.nextLong());
          } while (!Double.isFinite(value));
          return value;
        };
    Gen<Double> edges =
        of(
            0.0,
            -0.0,
            1.0,
            -1.0,
            Double.MIN_VALUE,
            Double.MIN_NORMAL,
            Double.MAX_VALUE,
            -Double.MAX_VALUE);
    return frequency(weight(4, hundredths), weight(4, anyBits), weight(1, edges));
  }

  /** Characters of the alphabet, each as likely. */
  static Gen<Character> chars(String alphabet) {
    return random -> alphabet.charAt(random.nextInt(alphabet.length()));
  }

  /**
   * Characters from {@code first} to {@code last}, both included; the bounds more often (see
   * above).
   */
  static Gen<Character> chars(char first, char last) {
    return ints(first, last).map(c -> (char) c.intValue());
  }

  /** Strings of {@code minLength} to {@code maxLength} characters, each drawn on its own. */
  static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
    Gen<Integer> lengths = ints(minLength, maxLength);
    return random -> {
      int length = lengths.next(random);
      StringBuilder text = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        text.append(chars.next(random));
      }
      return text.toString();
    };
  }

  /** Arrays of {@code minSize} to {@code maxSize} random bytes. */
  static Gen<byte[]> bytes(int minSize, int maxSize) {
    Gen<Integer> sizes = ints(minSize, maxSize);
    return random -> {
      byte[] bytes = new byte[sizes.next(random)];
      random.nextBytes(bytes);
      return bytes;
    };
  }
}
