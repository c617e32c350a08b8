package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.export.UserExport;
import java.util.LinkedHashSet;
import java.util.Set;

/** {@code fields_to_export} of the export endpoints: names of docs/braze-reference.md section 9. */
final class ExportFields {
  private ExportFields() {}

  /** The fields asked for; empty (every field) when absent. */
  static Set<String> decode(ObjectNode body) {
    JsonNode fields = body.get("fields_to_export");
    if (fields == null || fields.isNull()) {
      return Set.of();
    }
    if (!fields.isArray()) {
      throw new RejectedRequest("'fields_to_export' must be an array of field names");
    }
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode field : fields) {
      if (!field.isTextual() || !UserExport.FIELDS.contains(field.textValue())) {
        throw new RejectedRequest(
            "'"
                + (field.isTextual() ? field.textValue() : field.toString())
                + "' is not a field that can be exported");
      }
      names.add(field.textValue());
    }
    return names;
  }
}
