package dev.kiln.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** JSON and identifier helpers for the HTTP-level tests. */
public final class TestJson {
  private TestJson() {}

  /** A fresh identifier, so that tests sharing one server never see each other's data. */
  public static String uid(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** Parses the test's own JSON; a typo fails here, not on the server. */
  public static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the test's own JSON is malformed: " + text, e);
    }
  }

  /** A Java string as a JSON string literal. */
  public static String quote(String value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The field names of a JSON object, in order. */
  public static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The elements of a JSON array as text. */
  public static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
