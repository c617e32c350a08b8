package dev.kiln.core.identity;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.track.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Braze's merge of one profile into another (docs/braze-reference.md section 11, identify and
 * merge): the kept user keeps what it has and gains what only the merged user has. Pure; the caller
 * moves the raw rows and deletes the merged user.
 */
public final class ProfileMerge {
  /**
   * The standard attributes Braze copies when the kept user lacks them. Others stay with the merged
   * user.
   */
  static final List<String> COPIED_ATTRIBUTES =
      List.of(
          "first_name",
          "last_name",
          "email",
          "gender",
          "dob",
          "phone",
          "time_zone",
          "home_city",
          "country",
          "language");

  private ProfileMerge() {}

  public static UserProfile into(UserProfile kept, UserProfile merged) {
    return kept.toBuilder()
        .attributes(attributes(kept.attributes(), merged.attributes()))
        .customAttributes(missingAdded(kept.customAttributes(), merged.customAttributes()))
        .customEvents(combined(kept.customEvents(), merged.customEvents()))
        .purchases(combined(kept.purchases(), merged.purchases()))
        // Capped, not refused: a merge joins one person's two profiles, and a total past a double's
        // range is no real revenue.
        .totalRevenue(Values.capped(kept.totalRevenue().add(merged.totalRevenue())))
        .aliases(aliases(kept.aliases(), merged.aliases()))
        .build();
  }

  private static Map<String, Object> attributes(
      Map<String, Object> kept, Map<String, Object> merged) {
    Map<String, Object> result = new LinkedHashMap<>(kept);
    for (String field : COPIED_ATTRIBUTES) {
      if (result.get(field) == null && merged.get(field) != null) {
        result.put(field, merged.get(field));
      }
    }
    // Sessions: the first is the earlier of the two, the last the later.
    mergeTime(result, merged, "date_of_first_session", ProfileMerge::earlier);
    mergeTime(result, merged, "date_of_last_session", ProfileMerge::later);
    return result;
  }

  private static void mergeTime(
      Map<String, Object> result,
      Map<String, Object> merged,
      String field,
      BinaryOperator<Instant> pick) {
    if (merged.get(field) instanceof Instant theirs) {
      result.merge(
          field,
          theirs,
          (ours, ignored) -> ours instanceof Instant time ? pick.apply(time, theirs) : theirs);
    }
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Map<String, Object> missingAdded(
      Map<String, Object> kept, Map<String, Object> merged) {
    Map<String, Object> result = new LinkedHashMap<>(kept);
    merged.forEach(result::putIfAbsent);
    return result;
  }

  private static Map<String, ActivityAggregate> combined(
      Map<String, ActivityAggregate> kept, Map<String, ActivityAggregate> merged) {
    Map<String, ActivityAggregate> result = new LinkedHashMap<>(kept);
    merged.forEach((name, aggregate) -> result.merge(name, aggregate, ActivityAggregate::combine));
    return result;
  }

  /**
   * The merged user's aliases join, except where the kept user has a name for the label already.
   */
  private static List<UserAlias> aliases(List<UserAlias> kept, List<UserAlias> merged) {
    List<UserAlias> result = new ArrayList<>(kept);
    for (UserAlias alias : merged) {
      if (result.stream().noneMatch(existing -> existing.aliasLabel().equals(alias.aliasLabel()))) {
        result.add(alias);
      }
    }
    return result;
  }
}
