package dev.kiln.segment;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Checks a segment's references to other segments before it is stored: all exist, none loops back.
 */
public final class SegmentReferences {
  private SegmentReferences() {}

  /**
   * @param segmentId the segment being created or updated
   * @param filter its new filter
   * @param stored the other segments as stored
   * @throws FilterException naming the missing segment or the loop
   */
  public static void check(String segmentId, Filter filter, SegmentResolver stored) {
    visit(
        filter,
        new ArrayDeque<>(List.of(segmentId)),
        id -> id.equals(segmentId) ? Optional.of(filter) : stored.filterOf(id));
  }

  /** Whether {@code filter} names {@code segmentId} itself (not through other segments). */
  public static boolean refersTo(Filter filter, String segmentId) {
    return switch (filter) {
      case Filter.And and -> and.filters().stream().anyMatch(child -> refersTo(child, segmentId));
      case Filter.Or or -> or.filters().stream().anyMatch(child -> refersTo(child, segmentId));
      case Filter.Not not -> refersTo(not.filter(), segmentId);
      case Filter.Segment reference -> reference.segmentId().equals(segmentId);
      default -> false;
    };
  }

  private static void visit(Filter filter, Deque<String> path, SegmentResolver segments) {
    switch (filter) {
      case Filter.And and -> and.filters().forEach(child -> visit(child, path, segments));
      case Filter.Or or -> or.filters().forEach(child -> visit(child, path, segments));
      case Filter.Not not -> visit(not.filter(), path, segments);
      case Filter.Segment reference -> {
        if (path.contains(reference.segmentId())) {
          throw new FilterException(
              "filter",
              "segments may not refer to themselves: "
                  + String.join(" -> ", path.reversed())
                  + " -> "
                  + reference.segmentId());
        }
        Filter referenced =
            segments
                .filterOf(reference.segmentId())
                .orElseThrow(
                    () ->
                        new FilterException(
                            "filter",
                            "segment '"
                                + reference.segmentId()
                                + "' does not exist or is archived"));
        path.push(reference.segmentId());
        visit(referenced, path, segments);
        path.pop();
      }
      default -> {}
    }
  }
}
