package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.identity.AddAlias;
import dev.kiln.core.identity.RenameAlias;
import dev.kiln.core.identity.UserOperation;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code POST /users/alias/new} and {@code POST /users/alias/update}
 * (docs/braze-reference.md section 11).
 */
public final class AliasRequests {
  static final String NEW_ALIASES = "'user_aliases' must be an array of objects";
  static final String NEW_ALIAS =
      "each of 'user_aliases' must have string 'alias_name' and 'alias_label', "
          + "and may have a string 'external_id'";
  static final String UPDATES = "'alias_updates' must be an array of objects";
  static final String UPDATE =
      "each of 'alias_updates' must have string 'alias_label', 'old_alias_name' and 'new_alias_name'";

  private AliasRequests() {}

  /** One {@link AddAlias} per object of {@code user_aliases}. */
  public static List<UserOperation> newAliases(ObjectNode body) {
    List<UserOperation> operations = new ArrayList<>();
    for (JsonNode item : items(body, "user_aliases", NEW_ALIASES, "user aliases")) {
      JsonNode externalId = item.get("external_id");
      boolean identified = externalId != null && !externalId.isNull();
      operations.add(
          new AddAlias(
              ManagementFields.alias(item, NEW_ALIAS),
              identified
                  ? ManagementFields.externalId(item, "external_id", NEW_ALIAS).value()
                  : null));
    }
    return operations;
  }

  /** One {@link RenameAlias} per object of {@code alias_updates}. */
  public static List<UserOperation> aliasUpdates(ObjectNode body) {
    List<UserOperation> operations = new ArrayList<>();
    for (JsonNode item : items(body, "alias_updates", UPDATES, "alias updates")) {
      operations.add(
          new RenameAlias(
              ManagementFields.aliasPart(item, "alias_label", UPDATE),
              ManagementFields.aliasPart(item, "old_alias_name", UPDATE),
              ManagementFields.aliasPart(item, "new_alias_name", UPDATE)));
    }
    return operations;
  }

  private static List<JsonNode> items(ObjectNode body, String field, String invalid, String what) {
    List<JsonNode> items =
        ManagementFields.requiredArray(
            body,
            field,
            invalid,
            "a single request may not contain more than "
                + ManagementFields.MAX_ITEMS
                + " "
                + what);
    if (items.stream().anyMatch(item -> !item.isObject())) {
      throw new RejectedRequest(invalid);
    }
    return items;
  }
}
