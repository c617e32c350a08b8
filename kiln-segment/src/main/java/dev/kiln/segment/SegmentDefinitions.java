package dev.kiln.segment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The storage role that keeps segment definitions. */
public interface SegmentDefinitions {

  void create(SegmentDefinition segment);

  /** Replaces an active segment's name, description, tags and filter; false when there is none. */
  boolean update(SegmentDefinition segment);

  /** Archives an active segment; false when there is none. */
  boolean archive(String segmentId, Instant at);

  /** The segment with this id, active or archived. */
  Optional<SegmentDefinition> find(String segmentId);

  /** Active segments by creation time, {@code limit} of them after skipping {@code offset}. */
  List<SegmentDefinition> listActive(boolean newestFirst, long offset, int limit);

  /** The active segment with this name, if any (the segments file is keyed by name). */
  Optional<SegmentDefinition> findActiveByName(String name);
}
