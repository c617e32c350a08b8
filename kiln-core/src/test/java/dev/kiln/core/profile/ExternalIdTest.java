package dev.kiln.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import org.junit.jupiter.api.Test;

/**
 * Braze's bound on external_ids, edge case 27 (docs/braze-reference.md): fewer than 988 bytes of
 * UTF-8.
 */
class ExternalIdTest {
  @Test
  void takes987BytesAndRefuses988() {
    assertThat(ExternalId.parse("a".repeat(987))).contains(new ExternalId("a".repeat(987)));
    assertThat(ExternalId.parse("a".repeat(988))).isEmpty();
  }

  @Test
  void countsBytesOfUtf8NotCharacters() {
    assertThat(ExternalId.parse("é".repeat(493) + "a")).isPresent(); // 987 bytes in 494 characters
    assertThat(ExternalId.parse("é".repeat(494))).isEmpty(); // 988 bytes
    assertThat(ExternalId.parse("😀".repeat(246) + "abc")).isPresent(); // 987 bytes
    assertThat(ExternalId.parse("😀".repeat(247))).isEmpty(); // 988 bytes
  }

  @Test
  void countsTheBytesOfAnIdTooLongInCharsToFitSurely() {
    // 329 chars can take no more than 987 bytes, so only longer ids are encoded and counted.
    assertThat(ExternalId.parse("€".repeat(329))).isPresent(); // 987 bytes
    assertThat(ExternalId.parse("€".repeat(330))).isEmpty(); // 990 bytes
  }

  @Test
  void wordsTheRefusalForTheFieldThatCarriedIt() {
    assertThat(ExternalId.tooLong("external_id"))
        .isEqualTo("'external_id' must be fewer than 988 bytes");
    assertThat(ExternalId.tooLong("new_external_id"))
        .isEqualTo("'new_external_id' must be fewer than 988 bytes");
  }

  @Test
  void cannotBeBuiltOverTheBound() {
    assertThatThrownBy(() -> new ExternalId("a".repeat(988)))
        .isInstanceOfSatisfying(
            KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessage("'external_id' must be fewer than 988 bytes");
  }

  @Test
  void looksUpTheUserHoldingIt() {
    assertThat(new ExternalId("user-1").lookup()).isEqualTo(new UserLookup.ExternalId("user-1"));
  }
}
