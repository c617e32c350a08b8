package dev.kiln.storage.tests.segments;

import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.track.ActivityUpdates;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One user as the test knows it; identifiers the store assigns are read back after writing. */
final class User {
  record Event(String name, Instant time, Map<String, Object> properties) {}

  record Bought(String product, BigDecimal price, int quantity, Instant time) {}

  final int index;
  final String externalId;
  final List<UserAlias> aliases = new ArrayList<>();
  final Map<String, Object> standard = new LinkedHashMap<>();
  final Map<String, String> groups = new LinkedHashMap<>();
  final Map<String, Object> custom = new LinkedHashMap<>();
  final List<Event> events = new ArrayList<>();
  final List<Bought> purchases = new ArrayList<>();
  String brazeId;
  int randomBucket;
  Instant createdAt;

  User(int index, String externalId) {
    this.index = index;
    this.externalId = externalId;
  }

  UserLookup lookup() {
    return externalId != null
        ? new UserLookup.ExternalId(externalId)
        : new UserLookup.Alias(aliases.get(0));
  }

  /**
   * The change that creates this user as the writer applies it: attributes, aliases, events and
   * purchases.
   */
  ProfileChange change() {
    Map<String, CustomAttributeOp> customOps = new LinkedHashMap<>();
    custom.forEach(
        (name, value) ->
            customOps.put(
                name,
                switch (value) {
                  case List<?> list -> CustomAttributeOp.Set.ofArray(new ArrayList<>(list));
                  case Map<?, ?> map -> new CustomAttributeOp.SetObject(stringKeys(map));
                  default -> new CustomAttributeOp.Set(value);
                }));
    List<ProfileUpdate> updates = new ArrayList<>();
    updates.add(new AttributesUpdate(standard, groups, customOps, false));
    for (UserAlias alias : aliases) {
      updates.add((profile, time) -> profile.withAlias(alias));
    }
    List<ActivityRecord> activities = new ArrayList<>();
    for (Event event : events) {
      updates.add(ActivityUpdates.event(event.name(), event.time()));
      activities.add(
          new ActivityRecord.CustomEvent(event.name(), event.time(), null, event.properties()));
    }
    for (Bought purchase : purchases) {
      updates.add(
          ActivityUpdates.purchase(
              purchase.product(), purchase.time(), purchase.quantity(), purchase.price()));
      activities.add(
          new ActivityRecord.Purchase(
              purchase.product(),
              "USD",
              purchase.price(),
              purchase.quantity(),
              purchase.time(),
              null,
              Map.of()));
    }
    ProfileUpdate all =
        (profile, time) -> {
          UserProfile next = profile;
          for (ProfileUpdate update : updates) {
            next = update.apply(next, time);
          }
          return next;
        };
    return new ProfileChange(lookup(), true, all, activities, null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** What the purchases add up to: price times quantity, summed. */
  static BigDecimal revenue(List<Bought> purchases) {
    return purchases.stream()
        .map(p -> p.price().multiply(BigDecimal.valueOf(p.quantity())))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  @Override
  public String toString() {
    String text =
        "user #"
            + index
            + " external_id="
            + externalId
            + " braze_id="
            + brazeId
            + " random_bucket="
            + randomBucket
            + " created_at="
            + createdAt
            + " aliases="
            + aliases
            + " standard="
            + standard
            + " groups="
            + groups
            + " custom="
            + custom
            + " purchases="
            + purchases
            + " events="
            + events;
    return text.length() > 3000 ? text.substring(0, 3000) + "..." : text;
  }
}
