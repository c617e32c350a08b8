package dev.kiln.core.profile;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An ordered map nobody can change, which knows it: freezing a FrozenMap again costs nothing. A
 * profile changes one attribute at a time, so without this every change would copy every map of the
 * profile, and a busy user's hundreds of aggregates, once more.
 */
final class FrozenMap<V> extends AbstractMap<String, V> {
  private static final FrozenMap<?> EMPTY = new FrozenMap<>(Map.of());

  private final Map<String, V> entries;

  private FrozenMap(Map<String, V> entries) {
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  @SuppressWarnings("unchecked")
  static <V> Map<String, V> of(Map<String, V> map) {
    if (map instanceof FrozenMap<V> frozen) {
      return frozen;
    }
    return map.isEmpty() ? (Map<String, V>) EMPTY : new FrozenMap<>(map);
  }

  @Override
  public V get(Object key) {
    return entries.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return entries.containsKey(key);
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    return entries.entrySet();
  }

  @Override
  public Set<String> keySet() {
    return entries.keySet();
  }

  @Override
  public Collection<V> values() {
    return entries.values();
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super V> action) {
    entries.forEach(action);
  }
}
