package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The user attributes object (docs/braze-reference.md section 3). */
final class AttributesObjects {
  private AttributesObjects() {}

  static ProfileChange decode(ObjectNode object) {
    TrackTarget target = TrackTarget.of(object, TrackTarget.ObjectKind.ATTRIBUTES);
    if (flag(object, "push_token_import")) {
      throw new RejectedObject("push token import is not supported by Kiln");
    }
    boolean mergeObjects = flag(object, "_merge_objects");
    StandardFields.Changes standard = new StandardFields.Changes();
    Map<String, CustomAttributeOp> custom = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String key = field.getKey();
      if (StandardFields.CONTROL_KEYS.contains(key)) {
        continue; // identifiers and flags, handled above; external_id and user_alias cannot be
        // unset
      }
      if (StandardFields.isStandard(key)) {
        StandardFields.decode(key, field.getValue(), standard);
      } else {
        CustomAttributes.decode(key, field.getValue()).ifPresent(op -> custom.put(key, op));
      }
    }
    AttributesUpdate update =
        new AttributesUpdate(standard.values, standard.subscriptionGroups, custom, mergeObjects);
    return new ProfileChange(
        target.lookup(),
        target.createIfMissing(),
        update,
        List.of(),
        update.changesSubscriptions() ? update.subscriptionPart() : null);
  }

  private static boolean flag(ObjectNode object, String name) {
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new RejectedObject("'" + name + "' must be a boolean");
    }
    return value.booleanValue();
  }
}
