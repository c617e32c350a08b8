package dev.kiln.storage.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.UserProfile;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON document of a profile, one column per row so each dialect's JSON functions can filter on
 * it: {@code {"attributes":{},"custom_attributes":{},"custom_events":{},"purchases":{},"total_revenue":0}}.
 *
 * <p>A time is written as {@code {"$time":"2021-03-04T00:00:00.000Z"}}: Braze forbids {@code $} in
 * keys sent through the API, so the marker cannot clash with a user's object, and fixed-width
 * ISO-8601 UTC strings compare correctly as text in SQL. Aggregates keep epoch milliseconds.
 */
final class ProfileDocumentCodec {
  static final String TIME_MARKER = "$time";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .addModule(new SimpleModule().addSerializer(Instant.class, new TimeSerializer()))
      .build();
  private static final DateTimeFormatter FIXED_WIDTH_UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private ProfileDocumentCodec() {}

  /** The parts of a profile the document holds. */
  record Document(
      Map<String, Object> attributes,
      Map<String, Object> customAttributes,
      Map<String, ActivityAggregate> customEvents,
      Map<String, ActivityAggregate> purchases,
      BigDecimal totalRevenue) {}

  static String encode(UserProfile profile) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("attributes", profile.attributes());
    root.put("custom_attributes", profile.customAttributes());
    root.put("custom_events", encodeAggregates(profile.customEvents()));
    root.put("purchases", encodeAggregates(profile.purchases()));
    root.put("total_revenue", profile.totalRevenue());
    return toJson(root);
  }

  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored values must be JSON-shaped", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Document decode(String json) {
    Map<String, Object> root = fromJson(json);
    Object revenue = root.getOrDefault("total_revenue", BigDecimal.ZERO);
    return new Document(
        (Map<String, Object>) root.getOrDefault("attributes", Map.of()),
        (Map<String, Object>) root.getOrDefault("custom_attributes", Map.of()),
        decodeAggregates((Map<String, Object>) root.getOrDefault("custom_events", Map.of())),
        decodeAggregates((Map<String, Object>) root.getOrDefault("purchases", Map.of())),
        revenue instanceof BigDecimal decimal ? decimal : new BigDecimal(revenue.toString()));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> fromJson(String json) {
    try {
      return (Map<String, Object>) withTimes(JSON.readValue(json, MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored document is not valid JSON", e);
    }
  }

  /** Turns every {@code {"$time": "..."}} back into an Instant, at any depth. */
  private static Object withTimes(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (map.size() == 1 && map.get(TIME_MARKER) instanceof String time) {
        return Instant.parse(time);
      }
      Map<String, Object> converted = new LinkedHashMap<>();
      map.forEach((key, nested) -> converted.put((String) key, withTimes(nested)));
      return converted;
    }
    if (value instanceof List<?> list) {
      List<Object> converted = new ArrayList<>(list.size());
      list.forEach(item -> converted.add(withTimes(item)));
      return converted;
    }
    return value;
  }

  private static Map<String, Object> encodeAggregates(Map<String, ActivityAggregate> aggregates) {
    Map<String, Object> encoded = new LinkedHashMap<>();
    aggregates.forEach((name, aggregate) -> encoded.put(name, Map.of(
        "first", aggregate.first().toEpochMilli(), "last", aggregate.last().toEpochMilli(), "count", aggregate.count())));
    return encoded;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ActivityAggregate> decodeAggregates(Map<String, Object> encoded) {
    Map<String, ActivityAggregate> aggregates = new LinkedHashMap<>();
    encoded.forEach((name, value) -> {
      Map<String, Object> fields = (Map<String, Object>) value;
      aggregates.put(name, new ActivityAggregate(
          Instant.ofEpochMilli(((Number) fields.get("first")).longValue()),
          Instant.ofEpochMilli(((Number) fields.get("last")).longValue()),
          ((Number) fields.get("count")).longValue()));
    });
    return aggregates;
  }

  private static final class TimeSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
      generator.writeStartObject();
      generator.writeStringField(TIME_MARKER, FIXED_WIDTH_UTC.format(value));
      generator.writeEndObject();
    }
  }
}
