package dev.kiln.core.track;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.RefusedUpdate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The profile side of events and purchases: per-name aggregates and total revenue. */
public final class ActivityUpdates {
  private ActivityUpdates() {}

  /** One occurrence of a custom event. Events are never deduplicated. */
  public static ProfileUpdate event(String name, Instant time) {
    return (profile, now) ->
        profile.toBuilder().customEvents(recorded(profile.customEvents(), name, time, 1)).build();
  }

  /**
   * A purchase of {@code quantity}: it counts as that many purchases and adds price times quantity.
   * A total beyond a double's range could not be stored or exported as a number: the purchase is
   * refused.
   */
  public static ProfileUpdate purchase(
      String productId, Instant time, int quantity, BigDecimal price) {
    return (profile, now) -> {
      BigDecimal total = profile.totalRevenue().add(price.multiply(BigDecimal.valueOf(quantity)));
      if (!Values.isStorable(total)) {
        throw new RefusedUpdate(
            "The purchase would take the user's total revenue beyond "
                + Values.LARGEST_NUMBER
                + ", the largest number Kiln stores");
      }
      return profile.toBuilder()
          .purchases(recorded(profile.purchases(), productId, time, quantity))
          .totalRevenue(total)
          .build();
    };
  }

  private static Map<String, ActivityAggregate> recorded(
      Map<String, ActivityAggregate> aggregates, String name, Instant time, long times) {
    Map<String, ActivityAggregate> next = new LinkedHashMap<>(aggregates);
    next.merge(
        name, ActivityAggregate.of(time, times), (known, added) -> known.record(time, times));
    return next;
  }
}
