package dev.kiln.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * A value inside a JSON column: the column (Kiln's own SQL, such as {@code u.profile}) and the
 * object keys leading to the value, which may come from a filter and so always travel as data.
 */
public record JsonRef(String column, List<String> keys) {
  public JsonRef {
    keys = List.copyOf(keys);
  }

  public static JsonRef of(String column, String... keys) {
    return new JsonRef(column, List.of(keys));
  }

  public JsonRef child(String key) {
    List<String> longer = new ArrayList<>(keys);
    longer.add(key);
    return new JsonRef(column, longer);
  }
}
