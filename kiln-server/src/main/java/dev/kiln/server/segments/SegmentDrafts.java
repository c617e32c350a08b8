package dev.kiln.server.segments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.server.http.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a segment's {@code name}, {@code description}, {@code tags} and {@code filter} from JSON,
 * with the same rules for the API and for {@code KILN_SEGMENTS_FILE}.
 */
public final class SegmentDrafts {
  /**
   * Bounds of Kiln's own choosing [INF]: roomy for people, small enough that no segment carries
   * megabytes.
   */
  static final int MAX_NAME_LENGTH = 255;

  static final int MAX_DESCRIPTION_LENGTH = 4_096;
  static final int MAX_TAGS = 100;

  private SegmentDrafts() {}

  /**
   * A new segment needs a name and a filter; a change gives only what it changes, but a name it
   * gives must not be blank either.
   */
  public static SegmentService.Draft read(JsonNode body, boolean creating) {
    String name = text(body, "name");
    if (name != null ? name.isBlank() : creating) {
      throw invalid("'name' is required and must not be blank");
    }
    String description = text(body, "description");
    requireAtMost("'name'", name, MAX_NAME_LENGTH);
    requireAtMost("'description'", description, MAX_DESCRIPTION_LENGTH);
    JsonNode filter = body.get("filter");
    boolean noFilter = filter == null || filter.isNull();
    if (creating && noFilter) {
      throw invalid("'filter' is required");
    }
    return new SegmentService.Draft(
        name,
        description,
        tags(body),
        noFilter ? null : Json.MAPPER.convertValue(filter, Object.class));
  }

  /** A string field, or null when it is absent or null. */
  public static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid("'" + field + "' must be a string");
    }
    return value.textValue();
  }

  private static List<String> tags(JsonNode body) {
    JsonNode tags = body.get("tags");
    if (tags == null || tags.isNull()) {
      return null;
    }
    if (!tags.isArray()) {
      throw invalid("'tags' must be an array of strings");
    }
    if (tags.size() > MAX_TAGS) {
      throw invalid("'tags' may hold at most " + MAX_TAGS + " tags");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode tag : tags) {
      if (!tag.isTextual()) {
        throw invalid("'tags' must be an array of strings");
      }
      requireAtMost("each tag", tag.textValue(), MAX_NAME_LENGTH);
      names.add(tag.textValue());
    }
    return names;
  }

  private static void requireAtMost(String what, String text, int maxLength) {
    if (text != null && text.codePointCount(0, text.length()) > maxLength) {
      throw invalid(what + " must be at most " + maxLength + " characters");
    }
  }

  private static KilnException invalid(String message) {
    return new KilnException(ErrorCode.INVALID_INPUT, message);
  }
}
