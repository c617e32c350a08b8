package dev.kiln.core.track;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.UserProfile;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * docs/braze-reference.md sections 4 and 5, and 9 (aggregates: first, last, count; revenue = price
 * x quantity).
 */
class ActivityUpdatesTest {
  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
  private static final Instant T1 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2025-02-01T00:00:00Z");
  private static final Instant T3 = Instant.parse("2025-03-01T00:00:00Z");

  private static UserProfile blank() {
    return UserProfile.blank("0123456789abcdef01234567", 1, NOW);
  }

  // --- events ---

  @Test
  void firstEventStartsAnAggregate() {
    UserProfile next = ActivityUpdates.event("played", T2).apply(blank(), NOW);

    assertThat(next.customEvents()).containsEntry("played", new ActivityAggregate(T2, T2, 1));
  }

  @Test
  void laterEventMovesLastAndCounts() {
    UserProfile user = ActivityUpdates.event("played", T1).apply(blank(), NOW);

    UserProfile next = ActivityUpdates.event("played", T2).apply(user, NOW);

    assertThat(next.customEvents()).containsEntry("played", new ActivityAggregate(T1, T2, 2));
  }

  @Test
  void olderEventArrivingLateMovesFirstButNotLast() {
    UserProfile user = ActivityUpdates.event("played", T2).apply(blank(), NOW);
    user = ActivityUpdates.event("played", T3).apply(user, NOW);

    UserProfile next = ActivityUpdates.event("played", T1).apply(user, NOW);

    assertThat(next.customEvents()).containsEntry("played", new ActivityAggregate(T1, T3, 3));
  }

  @Test
  void eventBetweenFirstAndLastOnlyCounts() {
    UserProfile user = ActivityUpdates.event("played", T1).apply(blank(), NOW);
    user = ActivityUpdates.event("played", T3).apply(user, NOW);

    UserProfile next = ActivityUpdates.event("played", T2).apply(user, NOW);

    assertThat(next.customEvents()).containsEntry("played", new ActivityAggregate(T1, T3, 3));
  }

  @Test
  void identicalEventsAreCountedTwice() {
    UserProfile user = ActivityUpdates.event("played", T1).apply(blank(), NOW);

    UserProfile next = ActivityUpdates.event("played", T1).apply(user, NOW);

    assertThat(next.customEvents()).containsEntry("played", new ActivityAggregate(T1, T1, 2));
  }

  @Test
  void eventsOfDifferentNamesHaveSeparateAggregates() {
    UserProfile user = ActivityUpdates.event("played", T1).apply(blank(), NOW);

    UserProfile next = ActivityUpdates.event("paused", T2).apply(user, NOW);

    assertThat(next.customEvents())
        .containsEntry("played", new ActivityAggregate(T1, T1, 1))
        .containsEntry("paused", new ActivityAggregate(T2, T2, 1));
  }

  @Test
  void eventDoesNotTouchPurchasesOrRevenue() {
    UserProfile next = ActivityUpdates.event("played", T1).apply(blank(), NOW);

    assertThat(next.purchases()).isEmpty();
    assertThat(next.totalRevenue()).isEqualByComparingTo(BigDecimal.ZERO);
  }

  // --- purchases ---

  @Test
  void purchaseOfQuantityOneCountsOnceAndAddsThePrice() {
    UserProfile next =
        ActivityUpdates.purchase("sku", T1, 1, new BigDecimal("12.12")).apply(blank(), NOW);

    assertThat(next.purchases()).containsEntry("sku", new ActivityAggregate(T1, T1, 1));
    assertThat(next.totalRevenue()).isEqualByComparingTo("12.12");
  }

  @Test
  void purchaseQuantityCountsAsThatManyPurchases() {
    UserProfile next =
        ActivityUpdates.purchase("sku", T1, 3, new BigDecimal("1.00")).apply(blank(), NOW);

    assertThat(next.purchases()).containsEntry("sku", new ActivityAggregate(T1, T1, 3));
  }

  @Test
  void revenueIsPriceTimesQuantityExactly() {
    UserProfile next =
        ActivityUpdates.purchase("sku", T1, 6, new BigDecimal("12.12")).apply(blank(), NOW);

    assertThat(next.totalRevenue()).isEqualTo(new BigDecimal("72.72"));
  }

  @Test
  void revenueAccumulatesAcrossPurchasesWithoutBinaryRounding() {
    UserProfile user = blank();
    for (int i = 0; i < 10; i++) {
      user = ActivityUpdates.purchase("sku", T1, 1, new BigDecimal("0.1")).apply(user, NOW);
    }

    assertThat(user.totalRevenue()).isEqualByComparingTo("1.0");
  }

  @Test
  void purchasesOfDifferentProductsHaveSeparateAggregatesAndOneTotal() {
    UserProfile user =
        ActivityUpdates.purchase("a", T2, 2, new BigDecimal("5.50")).apply(blank(), NOW);

    UserProfile next =
        ActivityUpdates.purchase("b", T1, 1, new BigDecimal("0.25")).apply(user, NOW);

    assertThat(next.purchases())
        .containsEntry("a", new ActivityAggregate(T2, T2, 2))
        .containsEntry("b", new ActivityAggregate(T1, T1, 1));
    assertThat(next.totalRevenue()).isEqualByComparingTo("11.25");
  }

  @Test
  void olderPurchaseArrivingLateMovesFirstAndAddsItsQuantity() {
    UserProfile user = ActivityUpdates.purchase("sku", T3, 2, BigDecimal.ONE).apply(blank(), NOW);

    UserProfile next = ActivityUpdates.purchase("sku", T1, 3, BigDecimal.ONE).apply(user, NOW);

    assertThat(next.purchases()).containsEntry("sku", new ActivityAggregate(T1, T3, 5));
  }

  @Test
  void purchaseDoesNotTouchCustomEvents() {
    UserProfile next = ActivityUpdates.purchase("sku", T1, 1, BigDecimal.TEN).apply(blank(), NOW);

    assertThat(next.customEvents()).isEmpty();
  }
}
