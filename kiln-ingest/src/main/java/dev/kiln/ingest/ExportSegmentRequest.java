package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.export.ExportFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A decoded /users/export/segment request (docs/braze-reference.md section 8).
 *
 * @param fields the fields to export; empty means all
 * @param customAttributes {@code custom_attributes_to_export}: names exported even when {@code
 *     fields} leaves out {@code custom_attributes}
 * @param callbackEndpoint the raw {@code callback_endpoint}, checked by the caller against its
 *     network policy
 */
public record ExportSegmentRequest(
    String segmentId,
    Set<String> fields,
    Set<String> customAttributes,
    ExportFormat format,
    Optional<String> callbackEndpoint) {
  /** Braze accepts up to 500 names in {@code custom_attributes_to_export}. */
  public static final int MAX_CUSTOM_ATTRIBUTES = 500;

  public static ExportSegmentRequest decode(ObjectNode body) {
    JsonNode segmentId = body.get("segment_id");
    if (segmentId == null || !segmentId.isTextual() || segmentId.textValue().isBlank()) {
      throw new RejectedRequest("'segment_id' is required and must be a string");
    }
    return new ExportSegmentRequest(
        segmentId.textValue(),
        ExportFields.decode(body),
        customAttributes(body),
        format(body.get("output_format")),
        callbackEndpoint(body.get("callback_endpoint")));
  }

  private static Set<String> customAttributes(ObjectNode body) {
    JsonNode names = body.get("custom_attributes_to_export");
    if (names == null || names.isNull()) {
      return Set.of();
    }
    if (!names.isArray()) {
      throw new RejectedRequest(
          "'custom_attributes_to_export' must be an array of custom attribute names");
    }
    if (names.size() > MAX_CUSTOM_ATTRIBUTES) {
      throw new RejectedRequest(
          "'custom_attributes_to_export' may name at most "
              + MAX_CUSTOM_ATTRIBUTES
              + " custom attributes");
    }
    Set<String> result = new LinkedHashSet<>();
    for (JsonNode name : names) {
      if (!name.isTextual()) {
        throw new RejectedRequest(
            "'custom_attributes_to_export' must be an array of custom attribute names");
      }
      result.add(name.textValue());
    }
    return result;
  }

  private static ExportFormat format(JsonNode format) {
    if (format == null || format.isNull()) {
      return ExportFormat.ZIP;
    }
    for (ExportFormat candidate : ExportFormat.values()) {
      if (format.isTextual() && candidate.jsonName().equals(format.textValue())) {
        return candidate;
      }
    }
    throw new RejectedRequest("'output_format' must be 'zip' or 'gzip'");
  }

  private static Optional<String> callbackEndpoint(JsonNode endpoint) {
    if (endpoint == null || endpoint.isNull()) {
      return Optional.empty();
    }
    if (!endpoint.isTextual()) {
      throw new RejectedRequest("'callback_endpoint' must be a URL string");
    }
    return Optional.of(endpoint.textValue());
  }
}
