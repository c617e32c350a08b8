package dev.kiln.server.segments;

import dev.kiln.server.http.ApiError;
import io.javalin.http.Context;
import java.util.concurrent.Semaphore;

/**
 * The bound on segment sizes evaluated on this node at once ({@code KILN_SEGMENT_EVALUATIONS}), one
 * per connection of the evaluation pool. One more is answered at once with 429 and
 * {@code Retry-After} [INF] instead of queueing behind costly evaluations without limit: the caller
 * may retry, and nothing else on the node waits.
 */
public final class SegmentEvaluations {
  static final String RETRY_AFTER_SECONDS = "5";

  private final int limit;
  private final Semaphore slots;

  public SegmentEvaluations(int limit) {
    this.limit = limit;
    this.slots = new Semaphore(limit);
  }

  /** A slot until the returned slot is closed; 429 when every slot is taken. */
  public Slot admit(Context ctx) {
    if (!slots.tryAcquire()) {
      ctx.header("Retry-After", RETRY_AFTER_SECONDS);
      throw new ApiError(429, "Too many segment evaluations: this server evaluates " + limit
          + " segment sizes at once; retry after " + RETRY_AFTER_SECONDS + " s");
    }
    return slots::release;
  }

  /** A taken slot; closing it gives the slot back. */
  @FunctionalInterface
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }
}
