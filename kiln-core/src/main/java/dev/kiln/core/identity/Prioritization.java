package dev.kiln.core.identity;

import dev.kiln.core.profile.UserProfile;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Braze's {@code prioritization}: how /users/delete, /users/identify and /users/merge pick one user
 * among those holding an email or phone (docs/braze-reference.md section 11; the reading is ours,
 * docs/user-management.md). It only breaks ties: a single holder is taken whatever it says. With
 * several, each step keeps the holders it prefers, or all of them if it prefers none; more than one
 * left means no user is chosen.
 */
public record Prioritization(List<Priority> steps) {
  private static final Set<Priority> IDENTITY =
      EnumSet.of(Priority.IDENTIFIED, Priority.UNIDENTIFIED);
  private static final Set<Priority> RECENCY =
      EnumSet.of(Priority.MOST_RECENTLY_UPDATED, Priority.LEAST_RECENTLY_UPDATED);

  public Prioritization {
    steps = List.copyOf(steps);
    if (!isValid(steps)) {
      throw new IllegalArgumentException("invalid prioritization " + steps);
    }
  }

  /**
   * Whether Braze would accept these steps: at least one, none repeated, and at most one of each
   * opposed pair (identified/unidentified, most/least recently updated).
   */
  public static boolean isValid(List<Priority> steps) {
    Set<Priority> distinct =
        steps.isEmpty() ? EnumSet.noneOf(Priority.class) : EnumSet.copyOf(steps);
    return !steps.isEmpty()
        && distinct.size() == steps.size()
        && countOf(distinct, IDENTITY) <= 1
        && countOf(distinct, RECENCY) <= 1;
  }

  /** The one user these steps pick among {@code holders}, or empty when none or several remain. */
  public Optional<UserProfile> choose(List<UserProfile> holders) {
    List<UserProfile> candidates = holders;
    for (Priority step : steps) {
      if (candidates.size() <= 1) {
        break;
      }
      List<UserProfile> preferred = step.prefer(candidates);
      if (!preferred.isEmpty()) {
        candidates = preferred;
      }
    }
    return candidates.size() == 1 ? Optional.of(candidates.getFirst()) : Optional.empty();
  }

  private static long countOf(Set<Priority> steps, Set<Priority> group) {
    return steps.stream().filter(group::contains).count();
  }
}
