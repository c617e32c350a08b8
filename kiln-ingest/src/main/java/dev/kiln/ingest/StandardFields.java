package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.track.BrazeTimes;
import dev.kiln.core.track.CustomAttributeOp;
import dev.kiln.core.track.StandardValues;
import dev.kiln.core.track.Values;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Standard attributes of the user attributes object (docs/braze-reference.md section 3.1): which
 * keys they are, and how each value is checked and normalised. A value Braze would reject rejects
 * the object; a value Braze silently ignores (an unknown gender, language or time zone) leaves that
 * field unchanged.
 */
final class StandardFields {
  static final String INVALID_EMAIL =
      "The value provided for the 'email' field is not a valid email.";

  /** Keys of an attributes object that are not attributes at all. */
  static final Set<String> CONTROL_KEYS =
      Set.of(
          "external_id",
          "user_alias",
          "braze_id",
          "_update_existing_only",
          "_merge_objects",
          "push_token_import");

  private static final Set<String> STRINGS =
      Set.of("first_name", "last_name", "home_city", "phone");
  private static final Set<String> DATES =
      Set.of("date_of_first_session", "date_of_last_session", "marked_email_as_spam_at");
  private static final Set<String> BOOLEANS =
      Set.of("email_open_tracking_disabled", "email_click_tracking_disabled");
  private static final Set<String> OBJECTS = Set.of("facebook", "twitter");
  private static final Set<String> SUBSCRIPTIONS = Set.of("email_subscribe", "push_subscribe");
  // Kiln stores no devices: these are accepted and ignored (docs/compatibility.md).
  private static final Set<String> IGNORED = Set.of("push_tokens", "alias_name", "alias_label");
  private static final Set<String> OTHERS =
      Set.of(
          "email",
          "dob",
          "gender",
          "country",
          "language",
          "time_zone",
          "current_location",
          "subscription_groups");
  private static final Pattern DOB = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private StandardFields() {}

  static boolean isStandard(String key) {
    return STRINGS.contains(key)
        || DATES.contains(key)
        || BOOLEANS.contains(key)
        || OBJECTS.contains(key)
        || SUBSCRIPTIONS.contains(key)
        || IGNORED.contains(key)
        || OTHERS.contains(key);
  }

  /** Standard field changes of one object: values by field, null meaning "remove". */
  static final class Changes {
    final Map<String, Object> values = new LinkedHashMap<>();
    final Map<String, String> subscriptionGroups = new LinkedHashMap<>();
  }

  static void decode(String field, JsonNode value, Changes changes) {
    if (IGNORED.contains(field)) {
      return;
    }
    if (value.isNull()) {
      if (!field.equals("subscription_groups")) {
        changes.values.put(field, null);
      }
      return;
    }
    if (field.equals("subscription_groups")) {
      subscriptionGroups(value, changes.subscriptionGroups);
      return;
    }
    if (field.equals("country")) {
      changes.values.put(field, country(value)); // null when unmappable, as Braze stores it
      return;
    }
    decodeValue(field, value).ifPresent(normalised -> changes.values.put(field, normalised));
  }

  private static Optional<Object> decodeValue(String field, JsonNode value) {
    if (STRINGS.contains(field)) {
      return Optional.of(JsonValues.boundedText(field, value));
    }
    if (DATES.contains(field)) {
      return Optional.of(
          (value.isTextual() ? BrazeTimes.parseTime(value.textValue()) : Optional.<Instant>empty())
              .orElseThrow(() -> new RejectedObject("'" + field + "' must be a valid date")));
    }
    if (BOOLEANS.contains(field)) {
      if (!value.isBoolean()) {
        throw new RejectedObject("'" + field + "' must be a boolean");
      }
      return Optional.of(value.booleanValue());
    }
    if (OBJECTS.contains(field)) {
      if (!value.isObject()) {
        throw new RejectedObject("'" + field + "' must be an object");
      }
      // stored profiles mark times as {"$time": ...}; Braze forbids $ in keys
      if (holdsDollarKey(value)) {
        throw new RejectedObject("'" + field + "' must not hold keys with '$'");
      }
      Object plain = JsonValues.plain(value);
      if (Values.jsonSize(plain) > CustomAttributeOp.MAX_NESTED_BYTES) {
        throw new RejectedObject(
            "'" + field + "' must be at most " + CustomAttributeOp.MAX_NESTED_BYTES / 1024 + " KB");
      }
      return Optional.of(plain);
    }
    if (SUBSCRIPTIONS.contains(field)) {
      if (!value.isTextual() || !StandardValues.isSubscriptionState(value.textValue())) {
        throw new RejectedObject(
            "'" + field + "' must be 'opted_in', 'subscribed' or 'unsubscribed'");
      }
      return Optional.of(value.textValue());
    }
    return switch (field) {
      case "email" -> Optional.of(email(value));
      case "dob" -> Optional.of(dob(value));
      case "gender" ->
          value.isTextual()
              ? StandardValues.gender(value.textValue()).map(g -> g)
              : Optional.empty();
      case "language" ->
          value.isTextual()
              ? StandardValues.language(value.textValue()).map(l -> l)
              : Optional.empty();
      case "time_zone" ->
          value.isTextual()
              ? StandardValues.timeZone(value.textValue()).map(z -> z)
              : Optional.empty();
      case "current_location" -> Optional.of(location(value));
      default -> throw new IllegalStateException("not a standard field: " + field);
    };
  }

  private static boolean holdsDollarKey(JsonNode node) {
    for (Map.Entry<String, JsonNode> member : node.properties()) {
      if (member.getKey().indexOf('$') >= 0 || holdsDollarKey(member.getValue())) {
        return true;
      }
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (holdsDollarKey(item)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String email(JsonNode value) {
    if (!value.isTextual() || !StandardValues.isEmail(value.textValue())) {
      throw new RejectedObject(INVALID_EMAIL);
    }
    return value.textValue();
  }

  private static String dob(JsonNode value) {
    String text = value.isTextual() ? value.textValue() : "";
    try {
      if (DOB.matcher(text).matches()) {
        return LocalDate.parse(text).toString();
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new RejectedObject("'dob' must be a date in the format YYYY-MM-DD");
  }

  /** Braze maps what it can to alpha-2 and stores null for the rest ("Narnia"). */
  private static String country(JsonNode value) {
    if (!value.isTextual()) {
      throw new RejectedObject("'country' must be a string");
    }
    return StandardValues.country(value.textValue()).orElse(null);
  }

  private static Map<String, Object> location(JsonNode value) {
    JsonNode longitude = value.get("longitude");
    JsonNode latitude = value.get("latitude");
    if (!value.isObject()
        || longitude == null
        || !longitude.isNumber()
        || latitude == null
        || !latitude.isNumber()
        || Math.abs(longitude.doubleValue()) > 180
        || Math.abs(latitude.doubleValue()) > 90) {
      throw new RejectedObject(
          "'current_location' must be an object with numeric 'longitude' and 'latitude'");
    }
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("longitude", JsonValues.number(longitude));
    location.put("latitude", JsonValues.number(latitude));
    return location;
  }

  private static void subscriptionGroups(JsonNode value, Map<String, String> groups) {
    if (!value.isArray()) {
      throw new RejectedObject("'subscription_groups' must be an array");
    }
    for (JsonNode item : value) {
      JsonNode id = item.get("subscription_group_id");
      JsonNode state = item.get("subscription_state");
      if (!item.isObject() || id == null || state == null) {
        throw new RejectedObject(
            "each 'subscription_groups' item must be an object with 'subscription_group_id' and 'subscription_state'");
      }
      if (!id.isTextual() || !isUuid(id.textValue())) {
        throw new RejectedObject("'subscription_group_id' must be a valid subscription group id");
      }
      if (!state.isTextual()
          || !(state.textValue().equals("subscribed")
              || state.textValue().equals("unsubscribed"))) {
        throw new RejectedObject("'subscription_state' must be 'subscribed' or 'unsubscribed'");
      }
      groups.put(id.textValue(), state.textValue());
    }
  }

  private static boolean isUuid(String text) {
    try {
      return UUID.fromString(text).toString().equalsIgnoreCase(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
