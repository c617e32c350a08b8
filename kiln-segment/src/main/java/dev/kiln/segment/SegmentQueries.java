package dev.kiln.segment;

import java.time.Instant;

/** The storage role that evaluates segment filters inside the store. */
public interface SegmentQueries {

  /**
   * How many users match the filter at {@code now}.
   *
   * @throws FilterException when a referenced segment is missing or the references form a cycle
   */
  long count(Filter filter, SegmentResolver segments, Instant now);
}
