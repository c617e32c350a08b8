package dev.kiln.core.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/braze-reference.md section 3.3 (accepted formats, midnight UTC default, years 0 to 3000).
 */
class BrazeTimesTest {

  private static Instant timeOf(String text) {
    BrazeTimes.Parsed parsed = BrazeTimes.parse(text);
    assertThat(parsed).as("parse(%s)", text).isInstanceOf(BrazeTimes.Time.class);
    return ((BrazeTimes.Time) parsed).instant();
  }

  // --- ISO 8601 and its relatives ---

  @Test
  void dateWithoutTimeIsMidnightUtc() {
    assertThat(timeOf("2021-03-04")).isEqualTo(Instant.parse("2021-03-04T00:00:00Z"));
  }

  @Test
  void isoDateTimeWithZIsThatInstant() {
    assertThat(timeOf("2013-07-16T19:20:30Z")).isEqualTo(Instant.parse("2013-07-16T19:20:30Z"));
  }

  @Test
  void isoDateTimeWithoutZoneIsUtc() {
    assertThat(timeOf("2013-07-16T19:20:30")).isEqualTo(Instant.parse("2013-07-16T19:20:30Z"));
  }

  @Test
  void isoDateTimeWithMillisecondsAndZ() {
    assertThat(timeOf("2013-07-16T19:20:30.045Z"))
        .isEqualTo(Instant.parse("2013-07-16T19:20:30.045Z"));
  }

  @Test
  void singleDigitHourOffsetWithColonIsApplied() {
    assertThat(timeOf("2013-07-16T19:20:30+1:00")).isEqualTo(Instant.parse("2013-07-16T18:20:30Z"));
  }

  @Test
  void twoDigitOffsetWithColonIsApplied() {
    assertThat(timeOf("2013-07-16T19:20:30+01:00"))
        .isEqualTo(Instant.parse("2013-07-16T18:20:30Z"));
  }

  @Test
  void negativeOffsetWithoutColonIsApplied() {
    assertThat(timeOf("2013-07-16T19:20:30-0530")).isEqualTo(Instant.parse("2013-07-17T00:50:30Z"));
  }

  @Test
  void offsetWithMillisecondsIsApplied() {
    assertThat(timeOf("2013-07-16T19:20:30.045+01:00"))
        .isEqualTo(Instant.parse("2013-07-16T18:20:30.045Z"));
  }

  @Test
  void colonBeforeMillisecondsFormWithZ() {
    // yyyy-MM-ddTHH:mm:ss:SSSZ
    assertThat(timeOf("2013-07-16T19:20:30:045Z"))
        .isEqualTo(Instant.parse("2013-07-16T19:20:30.045Z"));
  }

  @Test
  void colonBeforeMillisecondsFormWithNumericZone() {
    assertThat(timeOf("2013-07-16T19:20:30:045+0100"))
        .isEqualTo(Instant.parse("2013-07-16T18:20:30.045Z"));
  }

  @Test
  void spaceSeparatedDateTimeIsUtc() {
    // yyyy-MM-dd HH:mm:ss
    assertThat(timeOf("2021-03-04 10:20:30")).isEqualTo(Instant.parse("2021-03-04T10:20:30Z"));
  }

  // --- MM/dd/yyyy and relatives ---

  @Test
  void usSlashDateIsMonthFirstAtMidnightUtc() {
    assertThat(timeOf("03/04/2021")).isEqualTo(Instant.parse("2021-03-04T00:00:00Z"));
  }

  @Test
  void usSlashDateWithSingleDigitDay() {
    assertThat(timeOf("12/1/2021")).isEqualTo(Instant.parse("2021-12-01T00:00:00Z"));
  }

  @Test
  void usDashDateWithSingleDigitDay() {
    assertThat(timeOf("12-1-2021")).isEqualTo(Instant.parse("2021-12-01T00:00:00Z"));
  }

  @Test
  void usDateWithInvalidMonthIsNotATime() {
    assertThat(BrazeTimes.parse("13/01/2021")).isInstanceOf(BrazeTimes.NotATime.class);
  }

  // --- Date.toString() form (ddd MM dd HH:mm:ss TZD YYYY) ---

  @Test
  void toStringFormInUtc() {
    // 2021-12-01 was a Wednesday
    assertThat(timeOf("Wed Dec 01 10:00:00 UTC 2021"))
        .isEqualTo(Instant.parse("2021-12-01T10:00:00Z"));
  }

  @Test
  void toStringFormInGmt() {
    assertThat(timeOf("Wed Dec 01 10:00:00 GMT 2021"))
        .isEqualTo(Instant.parse("2021-12-01T10:00:00Z"));
  }

  @Test
  void toStringFormIsAcceptedWhenTheWeekdayDoesNotMatchTheDate() {
    // BrazeTimes' own javadoc names "Tue Dec 01 10:00:00 UTC 2021" as an accepted form, though
    // 2021-12-01 was a Wednesday: the weekday is redundant (docs/braze-reference.md section 3.3
    // does not require it to agree), so a conflicting one must not make the time unreadable.
    assertThat(timeOf("Tue Dec 01 10:00:00 UTC 2021"))
        .isEqualTo(Instant.parse("2021-12-01T10:00:00Z"));
  }

  @Test
  void whitespaceAroundATimeIsIgnored() {
    assertThat(timeOf("  2021-03-04  ")).isEqualTo(Instant.parse("2021-03-04T00:00:00Z"));
  }

  // --- year range ---

  @Test
  void year3001IsOutOfRange() {
    assertThat(BrazeTimes.parse("3001-01-01")).isInstanceOf(BrazeTimes.OutOfRange.class);
  }

  @Test
  void year3001InUsFormIsOutOfRange() {
    assertThat(BrazeTimes.parse("01/01/3001")).isInstanceOf(BrazeTimes.OutOfRange.class);
  }

  @Test
  void negativeYearIsOutOfRange() {
    assertThat(BrazeTimes.parse("-0001-01-01")).isInstanceOf(BrazeTimes.OutOfRange.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345678901-01-01", "-99999999999-01-01", "2147483648-01-01T00:00:00Z"})
  void yearsTooLongForAnIntAreOutOfRangeNotAFailure(String text) {
    assertThat(BrazeTimes.parse(text)).isInstanceOf(BrazeTimes.OutOfRange.class);
    assertThat(BrazeTimes.parseTime(text)).isEmpty();
  }

  @Test
  void lastDayOfYear3000IsATime() {
    assertThat(timeOf("3000-12-31")).isEqualTo(Instant.parse("3000-12-31T00:00:00Z"));
  }

  @Test
  void parseTimeIsEmptyForOutOfRangeYears() {
    assertThat(BrazeTimes.parseTime("3001-01-01")).isEmpty();
  }

  @Test
  void parseTimeGivesTheInstantOfATime() {
    assertThat(BrazeTimes.parseTime("2021-03-04")).contains(Instant.parse("2021-03-04T00:00:00Z"));
  }

  // --- not times ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello",
        "2021",
        "12345",
        "2021-02-30",
        "",
        "2021-13-01",
        "12/32/2021",
        "2021-03-04T25:00:00Z"
      })
  void nonDatesAreNotATime(String text) {
    assertThat(BrazeTimes.parse(text)).isInstanceOf(BrazeTimes.NotATime.class);
    assertThat(BrazeTimes.parseTime(text)).isEmpty();
  }

  // --- precision and output form ---

  @Test
  void subMillisecondDigitsAreTruncatedNotRounded() {
    assertThat(timeOf("2021-03-04T10:20:30.123999999Z"))
        .isEqualTo(Instant.parse("2021-03-04T10:20:30.123Z"));
  }

  @Test
  void singleFractionDigitIsTenthsOfASecond() {
    assertThat(timeOf("2021-03-04T10:20:30.5Z"))
        .isEqualTo(Instant.parse("2021-03-04T10:20:30.500Z"));
  }

  @ParameterizedTest
  @CsvSource({
    "2021-03-04T00:00:00Z, 2021-03-04T00:00:00.000Z",
    "2021-03-04T10:20:30.045Z, 2021-03-04T10:20:30.045Z",
    "2021-03-04T10:20:30.123456Z, 2021-03-04T10:20:30.123Z"
  })
  void formatWritesIsoWithMillisecondsAndZ(String instant, String expected) {
    assertThat(BrazeTimes.format(Instant.parse(instant))).isEqualTo(expected);
  }

  @Test
  void formatOfAParsedDateGivesMidnightWithMilliseconds() {
    assertThat(BrazeTimes.format(timeOf("2021-03-04"))).isEqualTo("2021-03-04T00:00:00.000Z");
  }
}
