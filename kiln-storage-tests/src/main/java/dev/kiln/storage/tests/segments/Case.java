package dev.kiln.storage.tests.segments;

import java.util.Map;

/**
 * One filter to check. {@code nonTrivial}: it must match some users but not all, so the comparison
 * cannot pass vacuously.
 */
record Case(String name, Map<String, Object> filter, boolean nonTrivial) {

  static Case c(String name, Map<String, Object> filter) {
    return new Case(name, filter, true);
  }

  /** A case whose answer is rightly nobody or everybody (an unknown event, an empty and). */
  static Case trivial(String name, Map<String, Object> filter) {
    return new Case(name, filter, false);
  }

  String display() {
    return name + " " + Filters.json(filter);
  }
}
