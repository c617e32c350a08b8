package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A decoded /users/export/ids request (docs/braze-reference.md section 7).
 *
 * @param ids every identifier in request order, with the raw string quoted in {@code
 *     invalid_user_ids}
 * @param fields the fields to export; empty means all
 */
public record ExportIdsRequest(List<Id> ids, Set<String> fields) {
  public static final int MAX_IDS = 50;

  /** One identifier. A device id never names a Kiln user: Kiln keeps no devices. */
  public record Id(UserLookup lookup, String raw) {}

  public static ExportIdsRequest decode(ObjectNode body) {
    List<Id> ids = new ArrayList<>();
    JsonNode externalIds = array(body, "external_ids");
    JsonNode aliases = array(body, "user_aliases");
    if (externalIds.size() + aliases.size() > MAX_IDS) {
      throw new RejectedRequest(
          "The max number of external_ids and aliases per request was exceeded");
    }
    for (JsonNode id : externalIds) {
      if (!id.isTextual()) {
        throw new RejectedRequest("'external_ids' must be an array of strings");
      }
      ids.add(new Id(new UserLookup.ExternalId(id.textValue()), id.textValue()));
    }
    for (JsonNode alias : aliases) {
      try {
        UserAlias userAlias = TrackTarget.alias(alias);
        ids.add(new Id(new UserLookup.Alias(userAlias), userAlias.aliasName()));
      } catch (RejectedObject e) {
        throw new RejectedRequest(
            "each of 'user_aliases' must be an object with string 'alias_name' and 'alias_label'");
      }
    }
    string(body, "braze_id").ifPresent(id -> ids.add(new Id(new UserLookup.BrazeId(id), id)));
    addSingleContact(body, ids);
    if (ids.isEmpty() && !body.hasNonNull("device_id")) {
      throw new RejectedRequest(
          "At least one of 'external_ids', 'user_aliases', 'braze_id', 'device_id', "
              + "'email_address' or 'phone' must be given");
    }
    return new ExportIdsRequest(List.copyOf(ids), ExportFields.decode(body));
  }

  /** The device id, if given: it is reported as invalid, since no Kiln user has devices. */
  public static Optional<String> deviceId(ObjectNode body) {
    return string(body, "device_id");
  }

  private static void addSingleContact(ObjectNode body, List<Id> ids) {
    deviceId(
        body); // its type is checked here, so a wrong one is a 400 like any other, not a failure
    // later
    int given =
        (body.hasNonNull("device_id") ? 1 : 0)
            + (body.hasNonNull("email_address") ? 1 : 0)
            + (body.hasNonNull("phone") ? 1 : 0);
    if (given > 1) {
      throw new RejectedRequest("Only one of 'device_id', 'email_address' or 'phone' may be given");
    }
    string(body, "email_address")
        .ifPresent(email -> ids.add(new Id(new UserLookup.Email(email), email)));
    string(body, "phone").ifPresent(phone -> ids.add(new Id(new UserLookup.Phone(phone), phone)));
  }

  private static JsonNode array(ObjectNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (!value.isArray()) {
      throw new RejectedRequest("'" + name + "' must be an array");
    }
    return value;
  }

  private static Optional<String> string(ObjectNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new RejectedRequest("'" + name + "' must be a string");
    }
    return Optional.of(value.textValue());
  }
}
