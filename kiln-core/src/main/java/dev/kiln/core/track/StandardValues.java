package dev.kiln.core.track;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Braze's normalisation of standard attribute values (docs/braze-reference.md section 3.1). */
public final class StandardValues {
  private static final Set<String> GENDERS = Set.of("M", "F", "O", "N", "P");
  private static final Set<String> SUBSCRIPTION_STATES =
      Set.of("opted_in", "subscribed", "unsubscribed");
  private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());
  private static final Map<String, String> COUNTRIES = countryNames();
  // Pragmatic address check: something@domain.tld, no spaces, no second '@'.
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}");

  private StandardValues() {}

  public static boolean isEmail(String value) {
    return value.length() <= 254 && EMAIL.matcher(value).matches();
  }

  public static boolean isSubscriptionState(String value) {
    return SUBSCRIPTION_STATES.contains(value);
  }

  /** {@code M F O N P}, any case; anything else is not a gender Braze keeps. */
  public static Optional<String> gender(String value) {
    String upper = value.trim().toUpperCase(Locale.ROOT);
    return GENDERS.contains(upper) ? Optional.of(upper) : Optional.empty();
  }

  /**
   * ISO-3166-1 alpha-2 from a code (alpha-2 or alpha-3) or an English name; empty when unmappable.
   */
  public static Optional<String> country(String value) {
    return Optional.ofNullable(COUNTRIES.get(value.trim().toLowerCase(Locale.ROOT)));
  }

  /** An ISO-639-1 code, lower case. */
  public static Optional<String> language(String value) {
    String lower = value.trim().toLowerCase(Locale.ROOT);
    return LANGUAGES.contains(lower) ? Optional.of(lower) : Optional.empty();
  }

  /** An IANA time zone name, as given. */
  public static Optional<String> timeZone(String value) {
    if (!value.contains("/") && !value.equals("UTC")) {
      return Optional.empty(); // ZoneId also takes offsets like "+01:00", which are not zone names
    }
    try {
      return Optional.of(ZoneId.of(value).getId());
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> countryNames() {
    Map<String, String> names = new HashMap<>();
    for (String code : Locale.getISOCountries()) {
      Locale country = Locale.of("", code);
      names.put(code.toLowerCase(Locale.ROOT), code);
      names.put(country.getISO3Country().toLowerCase(Locale.ROOT), code);
      names.put(country.getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
    }
    // Common names that differ from the JDK's English display names.
    Map<String, String> aliases =
        Map.of(
            "usa",
            "US",
            "united states of america",
            "US",
            "america",
            "US",
            "uk",
            "GB",
            "great britain",
            "GB",
            "england",
            "GB",
            "russian federation",
            "RU",
            "korea",
            "KR",
            "republic of korea",
            "KR",
            "czech republic",
            "CZ");
    names.putAll(aliases);
    return Map.copyOf(names);
  }
}
