package dev.kiln.segment;

import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** The storage role that evaluates segment filters inside the store. */
public interface SegmentQueries {

  /**
   * How many users match the filter at {@code now}.
   *
   * @throws FilterException when a referenced segment is missing or the references form a cycle
   */
  default long count(Filter filter, SegmentResolver segments, Instant now) {
    return count(filter, segments, now, Cancellation.never());
  }

  /**
   * How many users match the filter at {@code now}, within the store's time bound for a count; the
   * count stops early when {@code cancellation} is cancelled.
   *
   * @throws FilterException when a referenced segment is missing or the references form a cycle
   * @throws dev.kiln.core.KilnException {@code INVALID_INPUT} when the filter took too long, or the
   *     database refused it as too large or complex (the caller's filter is at fault, not the
   *     store)
   */
  long count(Filter filter, SegmentResolver segments, Instant now, Cancellation cancellation);

  /**
   * Checks, without running it, that the store can evaluate the filter: compiled, and the database
   * has planned the query. Meant for when a filter is stored, so a stored segment can be evaluated.
   *
   * @throws dev.kiln.core.KilnException {@code INVALID_INPUT} naming why it cannot
   */
  void checkEvaluable(Filter filter, SegmentResolver segments, Instant now);

  /**
   * One page of the members at {@code now}: up to {@code limit} of them whose key comes after
   * {@code afterKey}, in key order. Paging by key reads each member once however large the segment,
   * and lets an interrupted export resume after the last member it wrote.
   */
  List<Member> members(
      Filter filter, SegmentResolver segments, Instant now, long afterKey, int limit);

  /**
   * A member and the store's key for it (opaque outside the store; only its order matters). The
   * profile is decoded when {@link #profile()} is called, on the caller's thread, so a caller
   * streaming many members can spread the decoding over several threads.
   */
  final class Member {
    private final long key;
    private final Supplier<UserProfile> decoder;

    public Member(long key, Supplier<UserProfile> decoder) {
      this.key = key;
      this.decoder = decoder;
    }

    public long key() {
      return key;
    }

    /** Decodes the profile (each call decodes again). */
    public UserProfile profile() {
      return decoder.get();
    }
  }
}
