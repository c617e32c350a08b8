package dev.kiln.core.identity;

import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One step of a {@link Prioritization}: which of several users holding an email or phone it
 * prefers.
 */
public enum Priority {
  IDENTIFIED("identified"),
  UNIDENTIFIED("unidentified"),
  MOST_RECENTLY_UPDATED("most_recently_updated"),
  LEAST_RECENTLY_UPDATED("least_recently_updated");

  private static final Map<String, Priority> BY_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(Priority::wireName, Function.identity()));

  private final String wireName;

  Priority(String wireName) {
    this.wireName = wireName;
  }

  /** The name in Braze's {@code prioritization} arrays. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Priority> fromWireName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The candidates this step prefers; empty when it prefers none of them. */
  List<UserProfile> prefer(List<UserProfile> candidates) {
    return switch (this) {
      case IDENTIFIED -> candidates.stream().filter(user -> user.externalId() != null).toList();
      case UNIDENTIFIED -> candidates.stream().filter(user -> user.externalId() == null).toList();
      case MOST_RECENTLY_UPDATED -> updatedAt(candidates, Comparator.<Instant>naturalOrder());
      case LEAST_RECENTLY_UPDATED -> updatedAt(candidates, Comparator.<Instant>reverseOrder());
    };
  }

  /** The candidates updated last in {@code order}: several when their times are equal. */
  private static List<UserProfile> updatedAt(
      List<UserProfile> candidates, Comparator<Instant> order) {
    Instant extreme = candidates.stream().map(UserProfile::updatedAt).max(order).orElseThrow();
    return candidates.stream().filter(user -> user.updatedAt().equals(extreme)).toList();
  }
}
