package dev.kiln.export.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallbackSettingsTest {

  @Test
  void theDefaultsRetryFromOneSecondUpToAMinuteForFifteenMinutes() {
    assertThat(CallbackSettings.defaults(false))
        .isEqualTo(
            new CallbackSettings(
                false,
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofMinutes(15),
                Duration.ofSeconds(10)));
    assertThat(CallbackSettings.defaults(true).allowPrivate()).isTrue();
  }

  @Test
  void millisecondDelaysAreAccepted() {
    CallbackSettings quick =
        new CallbackSettings(
            true,
            Duration.ofMillis(1),
            Duration.ofMillis(4),
            Duration.ofMillis(50),
            Duration.ofMillis(20));

    assertThat(quick.initialDelay()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void durationsMustBePositive() {
    assertThatThrownBy(
            () ->
                new CallbackSettings(
                    false,
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initialDelay must be positive, not PT0S");
    assertThatThrownBy(
            () ->
                new CallbackSettings(
                    false,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestTimeout must be positive, not PT-1S");
  }

  @Test
  void theLongestDelayIsNotShorterThanTheFirst() {
    assertThatThrownBy(
            () ->
                new CallbackSettings(
                    false,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDelay PT1S is shorter than initialDelay PT2S");
  }
}
