package dev.kiln.segment;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A stored segment.
 *
 * @param filterJson the filter as JSON text, as it was given
 * @param archivedAt null while the segment is active
 */
public record SegmentDefinition(
    String id,
    String name,
    String description,
    List<String> tags,
    String filterJson,
    Instant createdAt,
    Instant updatedAt,
    Instant archivedAt) {

  public SegmentDefinition {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(filterJson, "filterJson == null");
    tags = List.copyOf(tags);
  }

  public boolean active() {
    return archivedAt == null;
  }
}
