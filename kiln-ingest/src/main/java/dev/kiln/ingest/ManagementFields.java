package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.identity.Prioritization;
import dev.kiln.core.identity.Priority;
import dev.kiln.core.identity.UserSelector;
import dev.kiln.core.profile.ExternalId;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts the user management requests (docs/braze-reference.md section 11) share: arrays of
 * items with their caps, aliases, external_ids, and emails or phones with a prioritization. A
 * problem is fatal: the whole request is refused with the message given, and nothing is applied.
 */
final class ManagementFields {
  /** Every user management endpoint takes at most this many items. */
  static final int MAX_ITEMS = 50;

  static final String PRIORITIZATION =
      "'prioritization' must be a non-empty array of 'identified', 'unidentified', "
          + "'most_recently_updated' or 'least_recently_updated', with at most one of 'identified' and 'unidentified' "
          + "and at most one of the two recency values";
  static final String DELETE_PRIORITIZATION =
      "'prioritization' must be a non-empty array of 'identified', "
          + "'unidentified' or 'most_recently_updated', with at most one of 'identified' and 'unidentified'";

  private ManagementFields() {}

  /**
   * The field's items, or an empty list when it is absent or null; anything but an array of objects
   * is refused.
   */
  static List<JsonNode> objects(JsonNode body, String field, String invalid) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new RejectedRequest(invalid);
    }
    List<JsonNode> items = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      if (!item.isObject()) {
        throw new RejectedRequest(invalid);
      }
      items.add(item);
    }
    return items;
  }

  /**
   * The field's items, which must be there, be an array, and hold between 1 and {@value
   * #MAX_ITEMS}.
   */
  static List<JsonNode> requiredArray(JsonNode body, String field, String invalid, String tooMany) {
    JsonNode value = body.get(field);
    if (value == null || !value.isArray()) {
      throw new RejectedRequest(invalid);
    }
    if (value.isEmpty()) {
      throw new RejectedRequest("'" + field + "' must not be empty");
    }
    requireAtMostMax(value.size(), tooMany);
    List<JsonNode> items = new ArrayList<>(value.size());
    value.forEach(items::add);
    return items;
  }

  static void requireAtMostMax(int count, String tooMany) {
    if (count > MAX_ITEMS) {
      throw new RejectedRequest(tooMany);
    }
  }

  /** The field as a non-empty string, or empty when it is not one. */
  static Optional<String> text(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value != null && value.isTextual() && !value.textValue().isEmpty()
        ? Optional.of(value.textValue())
        : Optional.empty();
  }

  static String requiredText(JsonNode object, String field, String invalid) {
    return text(object, field).orElseThrow(() -> new RejectedRequest(invalid));
  }

  /** An external_id: a non-empty string within {@link ExternalId}'s bound, as in /users/track. */
  static ExternalId externalId(JsonNode object, String field, String invalid) {
    String value = requiredText(object, field, invalid);
    return ExternalId.parse(value)
        .orElseThrow(() -> new RejectedRequest(ExternalId.tooLong(field)));
  }

  /** A user alias object, with the bounds of /users/track. */
  static UserAlias alias(JsonNode value, String invalid) {
    try {
      return TrackTarget.alias(value);
    } catch (RejectedObject e) {
      throw new RejectedRequest(invalid);
    }
  }

  /**
   * An alias name or label given on its own: a non-empty string of at most 255 characters, as in an
   * alias object.
   */
  static String aliasPart(JsonNode object, String field, String invalid) {
    String text = requiredText(object, field, invalid);
    if (JsonValues.length(text) > JsonValues.MAX_STRING_LENGTH) {
      throw new RejectedRequest(invalid);
    }
    return text;
  }

  /**
   * An item naming a user by email or phone ({@code field}) with the prioritization that picks one
   * of its holders; /users/delete does not take {@code least_recently_updated}. Without a string
   * there, or without a {@code prioritization} array, the item is {@code invalid}; an array of
   * wrong steps gets the prioritization's own message.
   */
  static UserSelector contact(
      JsonNode item, String field, boolean allowLeastRecent, String invalid) {
    String value = requiredText(item, field, invalid);
    JsonNode steps = item.get("prioritization");
    if (steps == null || !steps.isArray()) {
      throw new RejectedRequest(invalid);
    }
    UserLookup lookup =
        field.equals("email") ? new UserLookup.Email(value) : new UserLookup.Phone(value);
    return new UserSelector(lookup, prioritization(steps, allowLeastRecent));
  }

  private static Prioritization prioritization(JsonNode value, boolean allowLeastRecent) {
    String invalid = allowLeastRecent ? PRIORITIZATION : DELETE_PRIORITIZATION;
    List<Priority> steps = new ArrayList<>(value.size());
    for (JsonNode step : value) {
      Priority priority =
          (step.isTextual() ? Priority.fromWireName(step.textValue()) : Optional.<Priority>empty())
              .filter(known -> allowLeastRecent || known != Priority.LEAST_RECENTLY_UPDATED)
              .orElseThrow(() -> new RejectedRequest(invalid));
      steps.add(priority);
    }
    if (!Prioritization.isValid(steps)) {
      throw new RejectedRequest(invalid);
    }
    return new Prioritization(steps);
  }
}
