package dev.kiln.storage.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.UserProfile;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
 * it: {@code
 * {"attributes":{},"custom_attributes":{},"custom_events":{},"purchases":{},"total_revenue":0}}.
 *
 * <p>A time is written as {@code {"$time":"2021-03-04T00:00:00.000Z"}}: Braze forbids {@code $} in
 * keys sent through the API, so the marker cannot clash with a user's object, and fixed-width
 * ISO-8601 UTC strings compare correctly as text in SQL. Aggregates keep epoch milliseconds.
 *
 * <p>Written and read with Jackson's streaming API: every write commits whole documents, and the
 * generic data binder spent most of its time finding serializers for each value's class.
 */
final class ProfileDocumentCodec {
  static final String TIME_MARKER = "$time";

  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter FIXED_WIDTH_UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ProfileDocumentCodec() {}

  /** The parts of a profile the document holds. */
  record Document(
      Map<String, Object> attributes,
      Map<String, Object> customAttributes,
      Map<String, ActivityAggregate> customEvents,
      Map<String, ActivityAggregate> purchases,
      BigDecimal totalRevenue) {}

  static String encode(UserProfile profile) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeFieldName("attributes");
          writeValue(json, profile.attributes());
          json.writeFieldName("custom_attributes");
          writeValue(json, profile.customAttributes());
          writeAggregates(json, "custom_events", profile.customEvents());
          writeAggregates(json, "purchases", profile.purchases());
          json.writeFieldName("total_revenue");
          json.writeNumber(profile.totalRevenue());
          json.writeEndObject();
        });
  }

  /** Any JSON-shaped value (event properties, for one) as JSON text. */
  static String toJson(Object value) {
    return write(json -> writeValue(json, value));
  }

  @SuppressWarnings("unchecked")
  static Document decode(String json) {
    Map<String, Object> root = fromJson(json);
    Object revenue = root.getOrDefault("total_revenue", 0L); // a whole number reads back as a Long
    return new Document(
        (Map<String, Object>) root.getOrDefault("attributes", Map.of()),
        (Map<String, Object>) root.getOrDefault("custom_attributes", Map.of()),
        aggregates((Map<String, Object>) root.getOrDefault("custom_events", Map.of())),
        aggregates((Map<String, Object>) root.getOrDefault("purchases", Map.of())),
        revenue instanceof BigDecimal decimal
            ? decimal
            : BigDecimal.valueOf(((Number) revenue).longValue()));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> fromJson(String json) {
    try (JsonParser parser = JSON.createParser(json)) {
      parser.nextToken();
      return (Map<String, Object>) readValue(parser);
    } catch (IOException e) {
      throw new IllegalStateException("a stored document is not valid JSON", e);
    }
  }

  /** A JSON array of stored values, such as a segment's tags. */
  static List<Object> fromJsonArray(String json) {
    try (JsonParser parser = JSON.createParser(json)) {
      parser.nextToken();
      Object value = readValue(parser);
      if (!(value instanceof List<?> list)) {
        throw new IllegalStateException("a stored array is not a JSON array");
      }
      return new ArrayList<>(list);
    } catch (IOException e) {
      throw new IllegalStateException("a stored array is not valid JSON", e);
    }
  }

  @FunctionalInterface
  private interface Writing {
    void write(JsonGenerator json) throws IOException;
  }

  private static String write(Writing writing) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      writing.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void writeValue(JsonGenerator json, Object value) throws IOException {
    switch (value) {
      case null -> json.writeNull();
      case String text -> json.writeString(text);
      case Boolean flag -> json.writeBoolean(flag);
      case Long whole -> json.writeNumber(whole);
      case Integer whole -> json.writeNumber(whole);
      case BigDecimal decimal -> json.writeNumber(decimal);
      case Number other -> json.writeNumber(new BigDecimal(other.toString()));
      case Instant time -> {
        json.writeStartObject();
        json.writeStringField(TIME_MARKER, FIXED_WIDTH_UTC.format(time));
        json.writeEndObject();
      }
      case Map<?, ?> map -> {
        json.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          json.writeFieldName((String) entry.getKey());
          writeValue(json, entry.getValue());
        }
        json.writeEndObject();
      }
      case List<?> list -> {
        json.writeStartArray();
        for (Object item : list) {
          writeValue(json, item);
        }
        json.writeEndArray();
      }
      default -> throw new IllegalArgumentException("not a JSON-shaped value: " + value.getClass());
    }
  }

  private static void writeAggregates(
      JsonGenerator json, String field, Map<String, ActivityAggregate> aggregates)
      throws IOException {
    json.writeObjectFieldStart(field);
    for (Map.Entry<String, ActivityAggregate> entry : aggregates.entrySet()) {
      json.writeObjectFieldStart(entry.getKey());
      json.writeNumberField("first", entry.getValue().first().toEpochMilli());
      json.writeNumberField("last", entry.getValue().last().toEpochMilli());
      json.writeNumberField("count", entry.getValue().count());
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /** Reads the value at the current token; objects of the single key $time become Instants. */
  private static Object readValue(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case START_OBJECT -> readObject(parser);
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(parser));
        }
        yield list;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT ->
          parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? new BigDecimal(parser.getBigIntegerValue())
              : parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected token " + parser.currentToken());
    };
  }

  private static Object readObject(JsonParser parser) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      parser.nextToken();
      map.put(key, readValue(parser));
    }
    if (map.size() == 1 && map.get(TIME_MARKER) instanceof String time) {
      return Instant.parse(time);
    }
    return map;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ActivityAggregate> aggregates(Map<String, Object> encoded) {
    Map<String, ActivityAggregate> aggregates = new LinkedHashMap<>();
    encoded.forEach(
        (name, value) -> {
          Map<String, Object> fields = (Map<String, Object>) value;
          aggregates.put(
              name,
              new ActivityAggregate(
                  Instant.ofEpochMilli(((Number) fields.get("first")).longValue()),
                  Instant.ofEpochMilli(((Number) fields.get("last")).longValue()),
                  ((Number) fields.get("count")).longValue()));
        });
    return aggregates;
  }
}
