package dev.kiln.core.track;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One custom attribute change of an attributes object (docs/braze-reference.md sections 3.2 to
 * 3.5). Each computes the attribute's next value from its current one; empty means the attribute is
 * removed.
 */
public sealed interface CustomAttributeOp {
  /** Braze's default cap on array attributes. */
  int MAX_ARRAY_LENGTH = 25;

  /** Braze's cap on a nested object or an array of objects, in bytes of JSON. */
  long MAX_NESTED_BYTES = 100 * 1024;

  /**
   * @param current the stored value, or null when there is none
   * @param mergeObjects the attributes object's {@code _merge_objects}
   */
  Outcome apply(Object current, boolean mergeObjects);

  /** What an operation does to its attribute. */
  sealed interface Outcome {}

  /** The attribute takes this value. */
  record Replace(Object value) implements Outcome {}

  /** The attribute is removed. */
  record Remove() implements Outcome {}

  /** The attribute stays as it is: Braze drops an invalid nested update whole. */
  record Keep() implements Outcome {}

  /**
   * The result cannot be stored (a number beyond a double's range): the whole object is refused.
   */
  record TooLarge() implements Outcome {}

  /** {@code "name": value}: a scalar, a time, an array of scalars (deduplicated) or of objects. */
  record Set(Object value) implements CustomAttributeOp {
    /**
     * An array literal keeps unique values (first occurrence) and, over the cap, the newest ones.
     */
    public static Set ofArray(List<Object> values) {
      return new Set(newestOnly(new ArrayList<>(new LinkedHashSet<>(values))));
    }

    @Override
    public Outcome apply(Object current, boolean mergeObjects) {
      return new Replace(value);
    }
  }

  /** {@code "name": null}. */
  record Unset() implements CustomAttributeOp {
    @Override
    public Outcome apply(Object current, boolean mergeObjects) {
      return new Remove();
    }
  }

  /** {@code {"inc": n}}; a missing or non-numeric attribute counts from 0. */
  record Increment(Number by) implements CustomAttributeOp {
    @Override
    public Outcome apply(Object current, boolean mergeObjects) {
      Object sum = Values.add(current, by);
      return Values.isStorable((Number) sum) ? new Replace(sum) : new TooLarge();
    }
  }

  /**
   * {@code {"add": [...], "remove": [...]}}: add appends, moving a present value to the end and
   * pushing out the oldest when full; then remove deletes values.
   */
  record ArrayChange(List<Object> add, List<Object> remove) implements CustomAttributeOp {
    public ArrayChange {
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }

    @Override
    public Outcome apply(Object current, boolean mergeObjects) {
      LinkedHashSet<Object> values =
          current instanceof List<?> list ? new LinkedHashSet<>(list) : new LinkedHashSet<>();
      for (Object value : add) {
        values.remove(value);
        values.add(value);
      }
      remove.forEach(values::remove);
      return new Replace(newestOnly(new ArrayList<>(values)));
    }
  }

  /**
   * A nested object: replaces the stored object, or deep-merges into it with {@code
   * _merge_objects}.
   */
  record SetObject(Map<String, Object> value) implements CustomAttributeOp {
    @Override
    @SuppressWarnings("unchecked")
    public Outcome apply(Object current, boolean mergeObjects) {
      Map<String, Object> next =
          mergeObjects && current instanceof Map<?, ?> existing
              ? Values.deepMerge((Map<String, Object>) existing, value)
              : value;
      return withinNestedLimit(next);
    }
  }

  /**
   * {@code {"$add": [...], "$remove": [...], "$update": [...]}} on an array of objects, applied in
   * Braze's order: add, then remove every match, then update every match.
   */
  record ObjectArrayChange(List<Map<String, Object>> add, List<Match> remove, List<Update> update)
      implements CustomAttributeOp {
    public ObjectArrayChange {
      add = List.copyOf(add);
      remove = List.copyOf(remove);
      update = List.copyOf(update);
    }

    /** Items whose {@code key} holds {@code value}. */
    public record Match(String key, Object value) {
      public Match {
        Objects.requireNonNull(key, "key == null");
      }

      boolean matches(Map<String, Object> item) {
        return item.containsKey(key) && Values.jsonEquals(item.get(key), value);
      }
    }

    /**
     * {@code $update}: matching items are merged with (or, without _merge_objects, replaced by) the
     * new object.
     */
    public record Update(Match match, Map<String, Object> newObject) {}

    @Override
    @SuppressWarnings("unchecked")
    public Outcome apply(Object current, boolean mergeObjects) {
      List<Map<String, Object>> items = new ArrayList<>();
      if (current instanceof List<?> list) {
        list.stream()
            .filter(Map.class::isInstance)
            .forEach(item -> items.add((Map<String, Object>) item));
      }
      items.addAll(add);
      for (Match match : remove) {
        items.removeIf(match::matches);
      }
      for (Update change : update) {
        items.replaceAll(
            item ->
                !change.match().matches(item)
                    ? item
                    : mergeObjects
                        ? Values.deepMerge(item, change.newObject())
                        : change.newObject());
      }
      List<Object> next = new ArrayList<>(items);
      return withinNestedLimit(next);
    }
  }

  private static Outcome withinNestedLimit(Object next) {
    return Values.jsonSize(next) > MAX_NESTED_BYTES ? new Keep() : new Replace(next);
  }

  /** Keeps the newest {@value #MAX_ARRAY_LENGTH} values: a full array drops its oldest first. */
  static List<Object> newestOnly(List<Object> values) {
    return values.size() <= MAX_ARRAY_LENGTH
        ? values
        : List.copyOf(values.subList(values.size() - MAX_ARRAY_LENGTH, values.size()));
  }
}
