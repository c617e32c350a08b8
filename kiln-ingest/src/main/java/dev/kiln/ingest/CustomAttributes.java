package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.track.BrazeTimes;
import dev.kiln.core.track.CustomAttributeOp;
import dev.kiln.core.track.Values;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Custom attribute values and operations (docs/braze-reference.md sections 3.2 to 3.5). Returns the
 * operation, or empty when Braze would drop an invalid nested attribute without an error.
 */
final class CustomAttributes {
  private static final Set<String> ARRAY_OPS = Set.of("add", "remove");
  private static final Set<String> OBJECT_ARRAY_OPS = Set.of("$add", "$remove", "$update");

  private CustomAttributes() {}

  static Optional<CustomAttributeOp> decode(String name, JsonNode value) {
    if (name.isEmpty()) {
      throw new RejectedObject("custom attribute names must not be empty");
    }
    if (JsonValues.length(name) > JsonValues.MAX_STRING_LENGTH) {
      throw new RejectedObject("custom attribute names must be at most 255 characters");
    }
    if (name.startsWith("$")) { // stored profiles mark times as {"$time": ...}
      throw new RejectedObject("custom attribute names must not start with '$'");
    }
    try {
      return Optional.of(operation(name, value));
    } catch (InvalidNested dropped) {
      return Optional.empty();
    }
  }

  private static CustomAttributeOp operation(String name, JsonNode value) {
    if (value.isNull()) {
      return new CustomAttributeOp.Unset();
    }
    if (value.isTextual()) {
      return string(name, value.textValue());
    }
    if (JsonValues.isScalar(value)) {
      return new CustomAttributeOp.Set(JsonValues.scalar(value));
    }
    if (value.isArray()) {
      return array(name, value);
    }
    return object(name, value);
  }

  private static CustomAttributeOp string(String name, String text) {
    if (BrazeTimes.parse(text) instanceof BrazeTimes.Time time) {
      return new CustomAttributeOp.Set(time.instant());
    }
    if (JsonValues.length(text) > JsonValues.MAX_STRING_LENGTH) {
      throw new RejectedObject("custom attribute '" + name + "' must be at most 255 characters");
    }
    return new CustomAttributeOp.Set(text);
  }

  private static CustomAttributeOp array(String name, JsonNode array) {
    boolean allObjects = array.size() > 0;
    boolean allScalars = true;
    for (JsonNode item : array) {
      allObjects &= item.isObject();
      allScalars &= JsonValues.isScalar(item);
    }
    if (allObjects) {
      List<Object> items = new ArrayList<>();
      array.forEach(item -> items.add(JsonValues.nestedObject(item)));
      if (Values.jsonSize(items) > CustomAttributeOp.MAX_NESTED_BYTES) {
        throw new InvalidNested(); // over 100 KB: Braze leaves the attribute as it was
      }
      return new CustomAttributeOp.Set(items);
    }
    if (!allScalars) {
      throw new RejectedObject(
          "custom attribute '"
              + name
              + "' must be an array of strings, numbers and booleans, or an array of objects");
    }
    return CustomAttributeOp.Set.ofArray(scalars(array));
  }

  private static CustomAttributeOp object(String name, JsonNode object) {
    Set<String> keys = new HashSet<>();
    object.fieldNames().forEachRemaining(keys::add);
    if (keys.equals(Set.of("inc"))) {
      JsonNode by = object.get("inc");
      if (!by.isNumber()) {
        throw new RejectedObject("'inc' of custom attribute '" + name + "' must be a number");
      }
      return new CustomAttributeOp.Increment(JsonValues.number(by));
    }
    if (!keys.isEmpty() && ARRAY_OPS.containsAll(keys)) {
      return new CustomAttributeOp.ArrayChange(
          arrayOperand(name, object, "add"), arrayOperand(name, object, "remove"));
    }
    if (!keys.isEmpty() && OBJECT_ARRAY_OPS.containsAll(keys)) {
      return ObjectArrayOps.decode(object);
    }
    if (keys.equals(Set.of("$time"))) {
      return new CustomAttributeOp.Set(JsonValues.nested(object));
    }
    return new CustomAttributeOp.SetObject(JsonValues.nestedObject(object));
  }

  private static List<Object> arrayOperand(String name, JsonNode object, String op) {
    JsonNode operand = object.get(op);
    if (operand == null || operand.isNull()) {
      return List.of();
    }
    if (!operand.isArray() || !allScalars(operand)) {
      throw new RejectedObject("'" + op + "' of custom attribute '" + name + "' must be an array");
    }
    return scalars(operand);
  }

  private static boolean allScalars(JsonNode array) {
    for (JsonNode item : array) {
      if (!JsonValues.isScalar(item)) {
        return false;
      }
    }
    return true;
  }

  private static List<Object> scalars(JsonNode array) {
    List<Object> values = new ArrayList<>(array.size());
    array.forEach(item -> values.add(JsonValues.scalar(item)));
    return values;
  }

  /** {@code $add}, {@code $remove} and {@code $update} on arrays of objects. */
  private static final class ObjectArrayOps {
    static CustomAttributeOp decode(JsonNode object) {
      List<Map<String, Object>> add = new ArrayList<>();
      List<CustomAttributeOp.ObjectArrayChange.Match> remove = new ArrayList<>();
      List<CustomAttributeOp.ObjectArrayChange.Update> update = new ArrayList<>();
      items(object, "$add").forEach(item -> add.add(JsonValues.nestedObject(item)));
      items(object, "$remove").forEach(item -> remove.add(match(item)));
      items(object, "$update")
          .forEach(
              item -> {
                JsonNode newObject = item.get("$new_object");
                if (newObject == null || !newObject.isObject()) {
                  throw new InvalidNested();
                }
                update.add(
                    new CustomAttributeOp.ObjectArrayChange.Update(
                        match(item), JsonValues.nestedObject(newObject)));
              });
      return new CustomAttributeOp.ObjectArrayChange(add, remove, update);
    }

    private static List<JsonNode> items(JsonNode object, String op) {
      JsonNode operand = object.get(op);
      if (operand == null) {
        return List.of();
      }
      if (!operand.isArray()) {
        throw new InvalidNested();
      }
      List<JsonNode> items = new ArrayList<>();
      operand.forEach(items::add);
      return items;
    }

    private static CustomAttributeOp.ObjectArrayChange.Match match(JsonNode item) {
      JsonNode key = item.get("$identifier_key");
      JsonNode value = item.get("$identifier_value");
      if (!item.isObject() || key == null || !key.isTextual() || value == null) {
        throw new InvalidNested();
      }
      return new CustomAttributeOp.ObjectArrayChange.Match(
          key.textValue(), JsonValues.nested(value));
    }
  }
}
