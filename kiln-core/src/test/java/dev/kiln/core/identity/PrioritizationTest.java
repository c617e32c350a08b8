package dev.kiln.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrioritizationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static UserProfile user(String brazeId, String externalId, int updatedSecondsAfter) {
    Instant updated = T0.plusSeconds(updatedSecondsAfter);
    return UserProfile.blank(brazeId, 1, T0).withExternalId(externalId).updatedAt(updated);
  }

  private static Prioritization of(Priority... steps) {
    return new Prioritization(List.of(steps));
  }

  @Test
  void aSingleHolderIsTakenWhateverThePrioritizationPrefers() {
    UserProfile identified = user("a", "ext", 0);

    assertThat(of(Priority.UNIDENTIFIED).choose(List.of(identified))).contains(identified);
    assertThat(of(Priority.UNIDENTIFIED).choose(List.of())).isEmpty();
  }

  @Test
  void twoUnidentifiedHoldersWithOnlyUnidentifiedLeaveNothingChosen() {
    // edge case 33 (docs/braze-reference.md).
    assertThat(of(Priority.UNIDENTIFIED).choose(List.of(user("a", null, 1), user("b", null, 2))))
        .isEmpty();
  }

  @Test
  void eachStepNarrowsTheCandidatesInOrder() {
    UserProfile oldAnonymous = user("a", null, 1);
    UserProfile newAnonymous = user("b", null, 2);
    UserProfile newestIdentified = user("c", "ext", 3);
    List<UserProfile> holders = List.of(oldAnonymous, newAnonymous, newestIdentified);

    assertThat(of(Priority.UNIDENTIFIED, Priority.MOST_RECENTLY_UPDATED).choose(holders))
        .contains(newAnonymous);
    assertThat(of(Priority.UNIDENTIFIED, Priority.LEAST_RECENTLY_UPDATED).choose(holders))
        .contains(oldAnonymous);
    assertThat(of(Priority.IDENTIFIED).choose(holders)).contains(newestIdentified);
    assertThat(of(Priority.MOST_RECENTLY_UPDATED).choose(holders)).contains(newestIdentified);
  }

  @Test
  void aStepPreferringNoneOfTheCandidatesLeavesThemAll() {
    UserProfile older = user("a", null, 1);
    UserProfile newer = user("b", null, 2);

    assertThat(
            of(Priority.IDENTIFIED, Priority.MOST_RECENTLY_UPDATED).choose(List.of(older, newer)))
        .contains(newer);
    assertThat(of(Priority.IDENTIFIED).choose(List.of(older, newer))).isEmpty();
  }

  @Test
  void holdersUpdatedAtTheSameMomentStayTied() {
    assertThat(
            of(Priority.MOST_RECENTLY_UPDATED)
                .choose(List.of(user("a", null, 5), user("b", null, 5))))
        .isEmpty();
  }

  @Test
  void brazeRefusesEmptyRepeatedAndOpposedSteps() {
    assertThat(Prioritization.isValid(List.of())).isFalse();
    assertThat(Prioritization.isValid(List.of(Priority.IDENTIFIED, Priority.IDENTIFIED))).isFalse();
    assertThat(Prioritization.isValid(List.of(Priority.IDENTIFIED, Priority.UNIDENTIFIED)))
        .isFalse();
    assertThat(
            Prioritization.isValid(
                List.of(Priority.MOST_RECENTLY_UPDATED, Priority.LEAST_RECENTLY_UPDATED)))
        .isFalse();
    assertThat(
            Prioritization.isValid(List.of(Priority.IDENTIFIED, Priority.LEAST_RECENTLY_UPDATED)))
        .isTrue();
    assertThatThrownBy(() -> of()).isInstanceOf(IllegalArgumentException.class);
  }
}
