package dev.kiln.core.track;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/braze-reference.md section 3.1 and the standard attribute rows of docs/compatibility.md. */
class StandardValuesTest {

  // --- country ---

  @ParameterizedTest
  @CsvSource({
    "Australia, AU",
    "australia, AU",
    "au, AU",
    "AU, AU",
    "AUS, AU",
    "aus, AU",
    "United States, US",
    "USA, US",
    "DE, DE",
    "Germany, DE",
    "DEU, DE",
    "United Kingdom, GB"
  })
  void countryCodesAndEnglishNamesMapToAlpha2(String given, String expected) {
    assertThat(StandardValues.country(given)).contains(expected);
  }

  @Test
  void countryIsTrimmed() {
    assertThat(StandardValues.country("  Australia ")).contains("AU");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Narnia", "", "ZZ", "Atlantis"})
  void unmappableCountryIsEmpty(String given) {
    assertThat(StandardValues.country(given)).isEmpty();
  }

  // --- language ---

  @ParameterizedTest
  @CsvSource({"en, en", "EN, en", "fr, fr", "De, de", "ja, ja"})
  void languageIsAnIso6391CodeInLowerCase(String given, String expected) {
    assertThat(StandardValues.language(given)).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"xx", "eng", "english", "en-US", ""})
  void otherLanguagesAreEmpty(String given) {
    assertThat(StandardValues.language(given)).isEmpty();
  }

  // --- gender ---

  @ParameterizedTest
  @CsvSource({"M, M", "F, F", "O, O", "N, N", "P, P", "m, M", "f, F", "o, O", "n, N", "p, P"})
  void genderIsOneOfMfonpInAnyCaseStoredUpperCase(String given, String expected) {
    assertThat(StandardValues.gender(given)).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"X", "x", "male", "", "MF"})
  void otherGendersAreEmpty(String given) {
    assertThat(StandardValues.gender(given)).isEmpty();
  }

  // --- time zone ---

  @ParameterizedTest
  @ValueSource(strings = {"America/New_York", "Europe/Paris", "Australia/Sydney", "UTC"})
  void ianaTimeZoneNamesAreKept(String given) {
    assertThat(StandardValues.timeZone(given)).contains(given);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"+01:00", "-05:00", "Z", "Nowhere/City", "Eastern Time (US & Canada)", ""})
  void otherTimeZonesAreEmpty(String given) {
    assertThat(StandardValues.timeZone(given)).isEmpty();
  }

  // --- email ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane@example.com",
        "first.last+tag@sub.example.co.uk",
        "a_b-c@x-y.io",
        "UPPER@EXAMPLE.COM"
      })
  void validEmails(String given) {
    assertThat(StandardValues.isEmail(given)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"not-an-email", "a@b", "a b@c.com", "a@b@c.com", "@example.com", "jane@", ""})
  void invalidEmails(String given) {
    assertThat(StandardValues.isEmail(given)).isFalse();
  }

  // --- subscription states ---

  @ParameterizedTest
  @ValueSource(strings = {"opted_in", "subscribed", "unsubscribed"})
  void theThreeSubscriptionStatesAreAccepted(String given) {
    assertThat(StandardValues.isSubscriptionState(given)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "Subscribed", "OPTED_IN", "opted-in", "", "true"})
  void otherSubscriptionStatesAreRejected(String given) {
    assertThat(StandardValues.isSubscriptionState(given)).isFalse();
  }
}
