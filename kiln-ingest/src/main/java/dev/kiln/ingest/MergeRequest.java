package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.identity.MergeUsers;
import dev.kiln.core.identity.UserOperation;
import dev.kiln.core.identity.UserSelector;
import dev.kiln.core.profile.UserLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decodes {@code POST /users/merge}, with Braze's four exact error texts (docs/braze-reference.md
 * section 11).
 */
public final class MergeRequest {
  static final String NOT_AN_ARRAY = "'merge_updates' must be an array of objects";
  static final String TOO_MANY = "a single request may not contain more than 50 merge updates";
  static final String IDENTIFIERS =
      "identifiers must be objects with an 'external_id' property that is a string, "
          + "'user_alias' property that is an object, 'email' property that is a string, or 'phone' property that is a string";
  static final String ONLY_TWO =
      "'merge_updates' must only have 'identifier_to_merge' and 'identifier_to_keep'";

  private static final Set<String> UPDATE_KEYS =
      Set.of("identifier_to_merge", "identifier_to_keep");
  private static final List<String> IDENTIFIER_KINDS =
      List.of("external_id", "user_alias", "email", "phone");

  private MergeRequest() {}

  public static List<UserOperation> decode(ObjectNode body) {
    JsonNode updates = body.get("merge_updates");
    if (updates == null || !updates.isArray()) {
      throw new RejectedRequest(NOT_AN_ARRAY);
    }
    for (JsonNode update : updates) {
      if (!update.isObject()) {
        throw new RejectedRequest(NOT_AN_ARRAY);
      }
    }
    ManagementFields.requireAtMostMax(updates.size(), TOO_MANY);
    List<UserOperation> operations = new ArrayList<>(updates.size());
    for (JsonNode update : updates) {
      if (update.size() != UPDATE_KEYS.size() || !UPDATE_KEYS.stream().allMatch(update::has)) {
        throw new RejectedRequest(ONLY_TWO);
      }
      operations.add(
          new MergeUsers(
              identifier(update.get("identifier_to_merge")),
              identifier(update.get("identifier_to_keep"))));
    }
    return operations;
  }

  /**
   * Exactly one of the four kinds, of the right type; an email or phone also needs its
   * prioritization.
   */
  private static UserSelector identifier(JsonNode identifier) {
    if (!identifier.isObject()) {
      throw new RejectedRequest(IDENTIFIERS);
    }
    List<String> kinds = IDENTIFIER_KINDS.stream().filter(identifier::hasNonNull).toList();
    if (kinds.size() != 1) {
      throw new RejectedRequest(IDENTIFIERS);
    }
    String kind = kinds.getFirst();
    return switch (kind) {
      case "external_id" ->
          UserSelector.of(
              ManagementFields.externalId(identifier, "external_id", IDENTIFIERS).lookup());
      case "user_alias" ->
          UserSelector.of(
              new UserLookup.Alias(
                  ManagementFields.alias(identifier.get("user_alias"), IDENTIFIERS)));
      default -> {
        // A string, as the identifiers' text says; a missing prioritization then says what it
        // lacks.
        ManagementFields.requiredText(identifier, kind, IDENTIFIERS);
        yield ManagementFields.contact(identifier, kind, true, ManagementFields.PRIORITIZATION);
      }
    };
  }
}
