package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.ExternalId;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.track.StandardValues;

/**
 * Which user an object names and whether it may create one (docs/braze-reference.md sections 2.2
 * and 2.3). One primary identifier at most ({@code external_id}, {@code user_alias}, {@code
 * braze_id}); without one, {@code email}, then {@code phone}.
 */
record TrackTarget(UserLookup lookup, boolean createIfMissing) {
  static final String MISSING_IDENTIFIER =
      "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required";

  /**
   * Attributes, events and purchases differ only in the default of {@code _update_existing_only}.
   */
  enum ObjectKind {
    ATTRIBUTES,
    ACTIVITY
  }

  static TrackTarget of(ObjectNode object, ObjectKind kind) {
    UserLookup lookup = lookup(object);
    boolean updateExistingOnly = updateExistingOnly(object, lookup, kind);
    return new TrackTarget(lookup, !updateExistingOnly);
  }

  private static UserLookup lookup(ObjectNode object) {
    JsonNode externalId = present(object, "external_id");
    JsonNode alias = present(object, "user_alias");
    JsonNode brazeId = present(object, "braze_id");
    int primaries =
        (externalId == null ? 0 : 1) + (alias == null ? 0 : 1) + (brazeId == null ? 0 : 1);
    if (primaries > 1) {
      throw new RejectedObject(
          "only one of 'external_id', 'braze_id' or 'user_alias' may be given");
    }
    if (externalId != null) {
      return externalId(externalId);
    }
    if (alias != null) {
      return new UserLookup.Alias(alias(alias));
    }
    if (brazeId != null) {
      if (!brazeId.isTextual()) {
        throw new RejectedObject("'braze_id' must be a string");
      }
      return new UserLookup.BrazeId(brazeId.textValue());
    }
    return secondary(object);
  }

  private static UserLookup.ExternalId externalId(JsonNode externalId) {
    if (!externalId.isTextual()) {
      throw new RejectedObject("'external_id' must be a string");
    }
    return ExternalId.parse(externalId.textValue())
        .orElseThrow(() -> new RejectedObject(ExternalId.tooLong("external_id")))
        .lookup();
  }

  static UserAlias alias(JsonNode alias) {
    JsonNode name = alias.get("alias_name");
    JsonNode label = alias.get("alias_label");
    if (!alias.isObject()
        || name == null
        || !name.isTextual()
        || name.textValue().isEmpty()
        || label == null
        || !label.isTextual()
        || label.textValue().isEmpty()) {
      throw new RejectedObject(
          "'user_alias' must be an object with string 'alias_name' and 'alias_label'");
    }
    return new UserAlias(
        JsonValues.boundedText("alias_name", name), JsonValues.boundedText("alias_label", label));
  }

  private static UserLookup secondary(ObjectNode object) {
    JsonNode email = present(object, "email");
    if (email != null) {
      if (!email.isTextual() || !StandardValues.isEmail(email.textValue())) {
        throw new RejectedObject(StandardFields.INVALID_EMAIL);
      }
      return new UserLookup.Email(email.textValue());
    }
    JsonNode phone = present(object, "phone");
    if (phone != null) {
      if (!phone.isTextual() || phone.textValue().isBlank()) {
        throw new RejectedObject("'phone' must be a string");
      }
      return new UserLookup.Phone(JsonValues.boundedText("phone", phone));
    }
    throw new RejectedObject(MISSING_IDENTIFIER);
  }

  private static boolean updateExistingOnly(ObjectNode object, UserLookup lookup, ObjectKind kind) {
    JsonNode flag = object.get("_update_existing_only");
    if (flag != null && !flag.isNull() && !flag.isBoolean()) {
      throw new RejectedObject("'_update_existing_only' must be a boolean");
    }
    if (lookup instanceof UserLookup.Alias) {
      // Braze: alias attributes default to update-only; alias events and purchases always are.
      return kind == ObjectKind.ACTIVITY || flag == null || flag.isNull() || flag.booleanValue();
    }
    return flag != null && flag.isBoolean() && flag.booleanValue();
  }

  /** The field's value, or null when it is absent, JSON null, or an empty string. */
  private static JsonNode present(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
      return null;
    }
    return value;
  }
}
