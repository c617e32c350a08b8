package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.ProfileChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes a /users/track body (docs/braze-reference.md section 2) into core changes. Fatal problems
 * (an array over 75 objects, an array that is not one) throw {@link RejectedRequest}; an invalid
 * object becomes an {@link ObjectError} and changes nothing.
 */
public final class TrackDecoder {
  public static final int MAX_OBJECTS_PER_ARRAY = 75;
  static final List<String> ARRAYS = List.of("attributes", "events", "purchases");

  private final Activities activities;

  public TrackDecoder(TrackLimits limits) {
    this.activities = new Activities(Objects.requireNonNull(limits, "limits == null"));
  }

  /**
   * @param now the time of the request: future event and purchase times are recorded as now
   */
  public TrackBatch decode(ObjectNode body, Instant now) {
    Map<String, JsonNode> arrays = arrays(body);
    List<TrackBatch.ValidObject> validObjects = new ArrayList<>();
    Map<String, Integer> processed = new LinkedHashMap<>();
    List<ObjectError> errors = new ArrayList<>();
    arrays.forEach(
        (name, array) -> {
          int valid = 0;
          for (int index = 0; index < array.size(); index++) {
            try {
              validObjects.add(
                  new TrackBatch.ValidObject(
                      name, index, decodeObject(name, array.get(index), now)));
              valid++;
            } catch (RejectedObject rejected) {
              errors.add(new ObjectError(rejected.getMessage(), name, index));
            }
          }
          processed.put(name + "_processed", valid);
        });
    return new TrackBatch(validObjects, processed, errors);
  }

  /** The arrays that were sent, in processing order, after the checks that make a request fatal. */
  private static Map<String, JsonNode> arrays(ObjectNode body) {
    Map<String, JsonNode> arrays = new LinkedHashMap<>();
    for (String name : ARRAYS) {
      JsonNode array = body.get(name);
      if (array == null || array.isNull()) {
        continue;
      }
      if (!array.isArray()) {
        throw new RejectedRequest("'" + name + "' must be an array");
      }
      if (array.size() > MAX_OBJECTS_PER_ARRAY) {
        throw new RejectedRequest("Max Input Length Exceeded");
      }
      arrays.put(name, array);
    }
    return arrays;
  }

  private ProfileChange decodeObject(String arrayName, JsonNode item, Instant now) {
    if (!(item instanceof ObjectNode object)) {
      throw new RejectedObject("each item of '" + arrayName + "' must be an object");
    }
    return switch (arrayName) {
      case "attributes" -> AttributesObjects.decode(object);
      case "events" -> activities.event(object, now);
      case "purchases" -> activities.purchase(object, now);
      default -> throw new IllegalArgumentException(arrayName);
    };
  }
}
