package dev.kiln.core.track;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Braze's accepted time formats (docs/braze-reference.md section 3.3): ISO 8601 and its common
 * relatives ({@code yyyy-MM-dd}, {@code yyyy-MM-dd HH:mm:ss}, {@code yyyy-MM-ddTHH:mm:ss:SSSZ},
 * offsets such as {@code +1:00}), {@code MM/dd/yyyy} and {@code MM-dd-yyyy}, and the {@code Tue Dec
 * 01 10:00:00 UTC 2021} form. A time without a zone is UTC; a date without a time is midnight UTC.
 * Times keep millisecond precision.
 */
public final class BrazeTimes {
  /** Braze keeps years 0 to 3000 as times; other years are not times. */
  static final int MAX_YEAR = 3000;

  private static final Pattern ISO_LIKE =
      Pattern.compile(
          "(-?\\d{4,})-(\\d{1,2})-(\\d{1,2})"
              + "(?:[Tt ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.:,](\\d{1,9}))?)?)?"
              + "\\s*(Z|z|UTC|GMT|[+-]\\d{1,2}(?::?\\d{2})?)?");
  private static final Pattern US_DATE = Pattern.compile("(\\d{1,2})([/-])(\\d{1,2})\\2(\\d{4})");
  // The weekday is left out: "Tue Dec 01 ... 2021" names a Wednesday, and the date is what counts.
  private static final Pattern WEEKDAY =
      Pattern.compile("(?i)(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+(.*)");
  private static final DateTimeFormatter TO_STRING_FORM =
      DateTimeFormatter.ofPattern("MMM d HH:mm:ss[.SSS] zzz uuuu", Locale.ROOT);
  private static final DateTimeFormatter EXPORT_FORM =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private BrazeTimes() {}

  /** What a string turned out to be. */
  public sealed interface Parsed {}

  /** A time Braze stores as a time. */
  public record Time(Instant instant) implements Parsed {}

  /** Date-shaped, but its year is outside 0 to 3000. */
  public record OutOfRange() implements Parsed {}

  /** Not a time. */
  public record NotATime() implements Parsed {}

  public static Parsed parse(String text) {
    String trimmed = text.trim();
    try {
      Optional<ZonedDateTime> parsed =
          isoLike(trimmed).or(() -> usDate(trimmed)).or(() -> toStringForm(trimmed));
      if (parsed.isEmpty()) {
        return new NotATime();
      }
      int year = parsed.get().getYear();
      if (year < 0 || year > MAX_YEAR) {
        return new OutOfRange();
      }
      return new Time(parsed.get().toInstant().truncatedTo(ChronoUnit.MILLIS));
    } catch (DateTimeException e) {
      return new NotATime(); // shaped like a date, but not one (February 30th)
    } catch (NumberFormatException e) {
      return new OutOfRange(); // only the year has room for more digits than an int holds: far past
      // 3000
    }
  }

  /** The time, or empty when the text is not one (including out-of-range years). */
  public static Optional<Instant> parseTime(String text) {
    return parse(text) instanceof Time time ? Optional.of(time.instant()) : Optional.empty();
  }

  /** The form Kiln writes times in: {@code 2021-03-04T00:00:00.000Z}. */
  public static String format(Instant instant) {
    return EXPORT_FORM.format(instant);
  }

  private static Optional<ZonedDateTime> isoLike(String text) {
    Matcher m = ISO_LIKE.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    LocalDate date =
        LocalDate.of(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)));
    LocalTime time =
        m.group(4) == null
            ? LocalTime.MIDNIGHT
            : LocalTime.of(
                Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
                nanos(m.group(7)));
    return Optional.of(LocalDateTime.of(date, time).atZone(offset(m.group(8))));
  }

  private static Optional<ZonedDateTime> usDate(String text) {
    Matcher m = US_DATE.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    LocalDate date =
        LocalDate.of(
            Integer.parseInt(m.group(4)),
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(3)));
    return Optional.of(date.atStartOfDay(ZoneOffset.UTC));
  }

  private static Optional<ZonedDateTime> toStringForm(String text) {
    Matcher weekday = WEEKDAY.matcher(text);
    if (text.length() < 20 || !weekday.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ZonedDateTime.parse(weekday.group(2), TO_STRING_FORM));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static int nanos(String fraction) {
    if (fraction == null) {
      return 0;
    }
    String padded = (fraction + "000000000").substring(0, 9);
    return Integer.parseInt(padded);
  }

  private static ZoneOffset offset(String zone) {
    if (zone == null || List.of("Z", "z", "UTC", "GMT").contains(zone)) {
      return ZoneOffset.UTC;
    }
    int sign = zone.charAt(0) == '-' ? -1 : 1;
    String digits = zone.substring(1).replace(":", "");
    int hours;
    int minutes;
    if (zone.contains(":")) {
      String[] parts = zone.substring(1).split(":");
      hours = Integer.parseInt(parts[0]);
      minutes = Integer.parseInt(parts[1]);
    } else if (digits.length() <= 2) {
      hours = Integer.parseInt(digits);
      minutes = 0;
    } else {
      hours = Integer.parseInt(digits.substring(0, digits.length() - 2));
      minutes = Integer.parseInt(digits.substring(digits.length() - 2));
    }
    return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
  }
}
