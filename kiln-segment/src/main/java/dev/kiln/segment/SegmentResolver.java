package dev.kiln.segment;

import java.util.Optional;

/** Finds the filter of another segment, for {@code {"segment": ID, "op": "in"}}. */
@FunctionalInterface
public interface SegmentResolver {
  /** The filter of the active segment with this id, if there is one. */
  Optional<Filter> filterOf(String segmentId);

  SegmentResolver NONE = id -> Optional.empty();
}
