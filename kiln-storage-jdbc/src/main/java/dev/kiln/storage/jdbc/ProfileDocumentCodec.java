package dev.kiln.storage.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON document of a profile's attributes, one column per row so that each dialect's JSON
 * functions can filter on it: {@code {"attributes":{...},"custom_attributes":{...}}}.
 */
final class ProfileDocumentCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private ProfileDocumentCodec() {}

  record Document(Map<String, Object> attributes, Map<String, Object> customAttributes) {}

  static String encode(Document document) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("attributes", document.attributes());
    root.put("custom_attributes", document.customAttributes());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("profile values must be JSON-shaped", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Document decode(String json) {
    try {
      Map<String, Object> root = JSON.readValue(json, MAP);
      return new Document(
          (Map<String, Object>) root.getOrDefault("attributes", Map.of()),
          (Map<String, Object>) root.getOrDefault("custom_attributes", Map.of()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored profile document is not valid JSON", e);
    }
  }
}
