package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.identity.RemoveExternalId;
import dev.kiln.core.identity.RenameExternalId;
import dev.kiln.core.identity.UserOperation;
import dev.kiln.core.profile.ExternalId;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code POST /users/external_ids/rename} and {@code /remove} (docs/braze-reference.md
 * section 11). Only an empty or oversized array, or no array, is fatal; a malformed item is an
 * error of its own in the answer, as the ids the store refuses are.
 */
public final class ExternalIdRequests {
  static final String RENAME =
      "each rename must have string 'current_external_id' and 'new_external_id'";
  static final String REMOVAL = "each external_id must be a string";

  private ExternalIdRequests() {}

  /**
   * One item of the request.
   *
   * @param sent the item as the request gave it, for the answer
   * @param operation null when the item itself is malformed
   * @param error why the item is malformed, else null
   */
  public record Item(int index, JsonNode sent, UserOperation operation, String error) {}

  public static List<Item> renames(ObjectNode body) {
    List<Item> items = new ArrayList<>();
    List<JsonNode> sent =
        ManagementFields.requiredArray(
            body,
            "external_id_renames",
            "'external_id_renames' must be an array of objects",
            "a single request may not contain more than 50 external_id_renames");
    for (int index = 0; index < sent.size(); index++) {
      items.add(rename(index, sent.get(index)));
    }
    return items;
  }

  private static Item rename(int index, JsonNode rename) {
    String current = ManagementFields.text(rename, "current_external_id").orElse(null);
    String next = ManagementFields.text(rename, "new_external_id").orElse(null);
    if (current == null || next == null) {
      return new Item(index, rename, null, RENAME);
    }
    return ExternalId.parse(next)
        .map(fits -> new Item(index, rename, new RenameExternalId(current, fits), null))
        .orElseGet(() -> new Item(index, rename, null, ExternalId.tooLong("new_external_id")));
  }

  public static List<Item> removals(ObjectNode body) {
    List<Item> items = new ArrayList<>();
    List<JsonNode> sent =
        ManagementFields.requiredArray(
            body,
            "external_ids",
            "'external_ids' must be an array",
            "a single request may not contain more than 50 external_ids");
    for (int index = 0; index < sent.size(); index++) {
      JsonNode id = sent.get(index);
      items.add(
          id.isTextual() && !id.textValue().isEmpty()
              ? new Item(index, id, new RemoveExternalId(id.textValue()), null)
              : new Item(index, id, null, REMOVAL));
    }
    return items;
  }
}
