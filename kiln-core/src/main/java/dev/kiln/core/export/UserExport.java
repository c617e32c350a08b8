package dev.kiln.core.export;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.track.BrazeTimes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user export object of Braze's export endpoints (docs/compatibility.md), shared by {@code
 * /users/export/ids} and the segment export so both write the very same object for a user. Built as
 * an ordered JSON-shaped map (keys in the order of Braze's sample); empty or unset fields are left
 * out, as Braze does.
 */
public final class UserExport {
  /** Every field name {@code fields_to_export} accepts, in output order. */
  public static final List<String> FIELDS =
      List.of(
          "created_at",
          "external_id",
          "user_aliases",
          "braze_id",
          "random_bucket",
          "first_name",
          "last_name",
          "email",
          "dob",
          "home_city",
          "country",
          "phone",
          "language",
          "time_zone",
          "last_coordinates",
          "gender",
          "total_revenue",
          "push_subscribe",
          "email_subscribe",
          "custom_attributes",
          "custom_events",
          "purchases",
          "devices",
          "push_tokens",
          "apps",
          "campaigns_received",
          "canvases_received",
          "cards_clicked",
          "attributed_campaign",
          "attributed_source",
          "attributed_adgroup",
          "attributed_ad",
          "uninstalled_at");

  /**
   * Export lists events and products with activity in this window; first and count stay all-time.
   */
  public static final Duration RECENT_ACTIVITY = Duration.ofDays(90);

  private static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);
  private static final List<String> PLAIN_ATTRIBUTES =
      List.of(
          "first_name",
          "last_name",
          "email",
          "dob",
          "home_city",
          "country",
          "phone",
          "language",
          "time_zone",
          "gender",
          "push_subscribe",
          "email_subscribe");

  private UserExport() {}

  /** The export object with the given fields (all fields when {@code fields} is empty). */
  public static Map<String, Object> of(UserProfile user, Set<String> fields, Instant now) {
    return of(user, fields, Set.of(), now);
  }

  /**
   * The export object of a segment export: as {@link #of(UserProfile, Set, Instant)}, and when
   * {@code fields} leaves out {@code custom_attributes}, the custom attributes named in {@code
   * customAttributes} (Braze's {@code custom_attributes_to_export}) still go out.
   */
  public static Map<String, Object> of(
      UserProfile user, Set<String> fields, Set<String> customAttributes, Instant now) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("created_at", CREATED_AT.format(user.createdAt()));
    all.put("external_id", user.externalId());
    all.put("user_aliases", aliases(user.aliases()));
    all.put("braze_id", user.brazeId());
    all.put("random_bucket", user.randomBucket());
    for (String attribute : PLAIN_ATTRIBUTES) {
      all.put(attribute, user.attributes().get(attribute));
    }
    all.put("last_coordinates", coordinates(user.attributes().get("current_location")));
    all.put("total_revenue", user.purchases().isEmpty() ? null : user.totalRevenue());
    all.put("custom_attributes", exportable(user.customAttributes()));
    all.put("custom_events", recent(user.customEvents(), now, "name"));
    all.put("purchases", recent(user.purchases(), now, "name"));

    boolean someCustomAttributes =
        !fields.isEmpty() && !fields.contains("custom_attributes") && !customAttributes.isEmpty();
    if (someCustomAttributes) {
      Map<String, Object> named = new LinkedHashMap<>(user.customAttributes());
      named.keySet().retainAll(customAttributes);
      all.put("custom_attributes", exportable(named));
    }
    Map<String, Object> selected = new LinkedHashMap<>();
    for (String field : FIELDS) {
      Object value = all.get(field);
      boolean wanted =
          fields.isEmpty()
              || fields.contains(field)
              || (field.equals("custom_attributes") && someCustomAttributes);
      if (wanted && !isEmpty(value)) {
        selected.put(field, value);
      }
    }
    return selected;
  }

  /**
   * Aggregates with activity in the last 90 days, as {@code [{key: name, first, last, count}]}.
   * {@code /users/track/sync} names its purchase key {@code product_id}, the export {@code name}.
   */
  public static List<Map<String, Object>> recent(
      Map<String, ActivityAggregate> aggregates, Instant now, String key) {
    Instant since = now.minus(RECENT_ACTIVITY);
    List<Map<String, Object>> entries = new ArrayList<>();
    aggregates.forEach(
        (name, aggregate) -> {
          if (!aggregate.last().isBefore(since)) {
            entries.add(activity(key, name, aggregate));
          }
        });
    return entries;
  }

  /** One aggregate as Braze writes it: times in ISO-8601 with milliseconds and Z. */
  public static Map<String, Object> activity(String key, String name, ActivityAggregate aggregate) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put(key, name);
    entry.put("first", BrazeTimes.format(aggregate.first()));
    entry.put("last", BrazeTimes.format(aggregate.last()));
    entry.put("count", aggregate.count());
    return entry;
  }

  /** Attribute values as they leave Kiln: times become ISO-8601 strings, at any depth. */
  public static Object exportable(Object value) {
    if (value instanceof Instant instant) {
      return BrazeTimes.format(instant);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> converted = new LinkedHashMap<>();
      map.forEach((key, nested) -> converted.put((String) key, exportable(nested)));
      return converted;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(UserExport::exportable).toList();
    }
    return value;
  }

  private static List<Map<String, Object>> aliases(List<UserAlias> aliases) {
    return aliases.stream()
        .map(
            alias -> {
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("alias_name", alias.aliasName());
              entry.put("alias_label", alias.aliasLabel());
              return entry;
            })
        .toList();
  }

  private static List<Object> coordinates(Object location) {
    if (location instanceof Map<?, ?> map
        && map.get("longitude") != null
        && map.get("latitude") != null) {
      return List.of(map.get("longitude"), map.get("latitude"));
    }
    return null;
  }

  private static boolean isEmpty(Object value) {
    return value == null
        || (value instanceof Map<?, ?> map && map.isEmpty())
        || (value instanceof List<?> list && list.isEmpty());
  }
}
