package dev.kiln.core.profile;

import java.time.Instant;
import java.util.Objects;

/** One event name's (or product's) activity on a profile: first and last time, and how many. */
public record ActivityAggregate(Instant first, Instant last, long count) {
  public ActivityAggregate {
    Objects.requireNonNull(first, "first == null");
    Objects.requireNonNull(last, "last == null");
  }

  public static ActivityAggregate of(Instant time, long count) {
    return new ActivityAggregate(time, time, count);
  }

  /** Adds {@code times} occurrences at {@code time}, which may be older than what is known. */
  public ActivityAggregate record(Instant time, long times) {
    return new ActivityAggregate(
        time.isBefore(first) ? time : first, time.isAfter(last) ? time : last, count + times);
  }

  /** Combines two users' aggregates: the earlier first, the later last, the sum of counts. */
  public ActivityAggregate combine(ActivityAggregate other) {
    return record(other.first, 0).record(other.last, other.count);
  }
}
