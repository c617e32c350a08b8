package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.identity.DeleteUser;
import dev.kiln.core.identity.UserOperation;
import dev.kiln.core.identity.UserSelector;
import dev.kiln.core.profile.UserLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Decodes {@code POST /users/delete} (docs/braze-reference.md section 11): any mix of the five
 * identifier kinds, at most 50 in all.
 */
public final class DeleteRequest {
  static final String NOTHING =
      "at least one of 'external_ids', 'user_aliases', 'braze_ids', 'email_addresses' or "
          + "'phone_numbers' must be given";
  static final String TOO_MANY = "The max number of ids per request was exceeded";
  static final String ALIASES =
      "'user_aliases' must be an array of objects with string 'alias_name' and 'alias_label'";

  private DeleteRequest() {}

  public static List<UserOperation> decode(ObjectNode body) {
    List<UserSelector> users = new ArrayList<>();
    users.addAll(strings(body, "external_ids", UserLookup.ExternalId::new));
    for (JsonNode alias : ManagementFields.objects(body, "user_aliases", ALIASES)) {
      users.add(UserSelector.of(new UserLookup.Alias(ManagementFields.alias(alias, ALIASES))));
    }
    users.addAll(strings(body, "braze_ids", UserLookup.BrazeId::new));
    users.addAll(contacts(body, "email_addresses", "email"));
    users.addAll(contacts(body, "phone_numbers", "phone"));
    if (users.isEmpty()) {
      throw new RejectedRequest(NOTHING);
    }
    ManagementFields.requireAtMostMax(users.size(), TOO_MANY);
    return users.stream().<UserOperation>map(DeleteUser::new).toList();
  }

  private static List<UserSelector> strings(
      ObjectNode body, String field, Function<String, UserLookup> lookup) {
    JsonNode values = body.get(field);
    if (values == null || values.isNull()) {
      return List.of();
    }
    String invalid = "'" + field + "' must be an array of strings";
    if (!values.isArray()) {
      throw new RejectedRequest(invalid);
    }
    List<UserSelector> users = new ArrayList<>(values.size());
    for (JsonNode value : values) {
      if (!value.isTextual() || value.textValue().isEmpty()) {
        throw new RejectedRequest(invalid);
      }
      users.add(UserSelector.of(lookup.apply(value.textValue())));
    }
    return users;
  }

  private static List<UserSelector> contacts(ObjectNode body, String field, String kind) {
    String invalid =
        "each of '" + field + "' must have a string '" + kind + "' and a 'prioritization' array";
    List<UserSelector> users = new ArrayList<>();
    for (JsonNode item : ManagementFields.objects(body, field, invalid)) {
      users.add(ManagementFields.contact(item, kind, false, invalid));
    }
    return users;
  }
}
