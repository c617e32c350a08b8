package dev.kiln.core.ratelimit;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many requests a key may make in a fixed window, as Braze states its limits ("3,000 requests
 * per 3 seconds"), or no limit at all. Written {@code 3000/3s}, {@code 250/1m}, {@code 250000/1h}
 * or {@code unlimited} in settings and on the command line.
 */
public record RateLimit(long requests, Duration window) {
  public static final RateLimit UNLIMITED = new RateLimit(0, Duration.ZERO);

  private static final Pattern SPEC = Pattern.compile("(\\d{1,12})/(\\d{1,7})([smh])");
  private static final String UNLIMITED_SPEC = "unlimited";

  public RateLimit {
    Objects.requireNonNull(window, "window == null");
    boolean unlimited = requests == 0 && window.isZero();
    if (!unlimited && (requests < 1 || window.compareTo(Duration.ofSeconds(1)) < 0)) {
      throw new IllegalArgumentException(
          "a limit needs at least 1 request in a window of at least 1 s");
    }
  }

  /** Reads {@code N/Ts}, {@code N/Tm}, {@code N/Th} or {@code unlimited}. */
  public static RateLimit parse(String spec) {
    String text = spec.trim().toLowerCase(Locale.ROOT);
    if (text.equals(UNLIMITED_SPEC)) {
      return UNLIMITED;
    }
    Matcher matcher = SPEC.matcher(text);
    if (!matcher.matches()
        || Long.parseLong(matcher.group(1)) < 1
        || Long.parseLong(matcher.group(2)) < 1) {
      throw new KilnException(
          ErrorCode.INVALID_INPUT,
          "'"
              + spec
              + "' is not a rate limit; write requests/window such as 3000/3s, 250/1m, 250000/1h, or unlimited");
    }
    long amount = Long.parseLong(matcher.group(2));
    Duration window =
        switch (matcher.group(3)) {
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
    return new RateLimit(Long.parseLong(matcher.group(1)), window);
  }

  public boolean unlimited() {
    return this.equals(UNLIMITED);
  }

  /** The form {@link #parse} reads, in the largest whole unit. */
  @Override
  public String toString() {
    if (unlimited()) {
      return UNLIMITED_SPEC;
    }
    long seconds = window.toSeconds();
    if (seconds % 3600 == 0) {
      return requests + "/" + seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? requests + "/" + seconds / 60 + "m" : requests + "/" + seconds + "s";
  }
}
