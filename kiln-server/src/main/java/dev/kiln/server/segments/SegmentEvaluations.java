package dev.kiln.server.segments;

import dev.kiln.server.http.ApiError;
import dev.kiln.server.http.ApiKeyAuthenticator;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The bound on segment sizes evaluated on this node at once ({@code KILN_SEGMENT_EVALUATIONS}), one
 * per connection of the evaluation pool, and on those of one API key: half of them, rounded up, so
 * one key holder never takes every slot while another key has none. One more is answered at once
 * with 429 and {@code Retry-After} [INF] instead of queueing behind costly evaluations without
 * limit: the caller may retry, and nothing else on the node waits.
 */
public final class SegmentEvaluations {
  static final String RETRY_AFTER_SECONDS = "5";

  private final int limit;
  private final int perKey;
  private final Map<String, Integer> running = new HashMap<>();
  private int total;

  public SegmentEvaluations(int limit) {
    this.limit = limit;
    this.perKey = (limit + 1) / 2;
  }

  /** A slot until the returned slot is closed; 429 when the node's or the key's slots are taken. */
  public Slot admit(Context ctx) {
    return admit(ApiKeyAuthenticator.keyOf(ctx).identity(), ctx::header);
  }

  /**
   * As {@link #admit(Context)}, for the key {@code key}, writing a 429's header to {@code header}.
   */
  Slot admit(String key, BiConsumer<String, String> header) {
    synchronized (this) {
      if (total < limit && running.getOrDefault(key, 0) < perKey) {
        total++;
        running.merge(key, 1, Integer::sum);
        return () -> release(key);
      }
    }
    header.accept("Retry-After", RETRY_AFTER_SECONDS);
    throw new ApiError(
        429,
        "Too many segment evaluations: this server evaluates "
            + limit
            + " segment sizes at once, "
            + perKey
            + " for one API key; retry after "
            + RETRY_AFTER_SECONDS
            + " s");
  }

  private synchronized void release(String key) {
    total--;
    running.computeIfPresent(key, (name, count) -> count == 1 ? null : count - 1);
  }

  /** A taken slot; closing it gives the slot back. */
  @FunctionalInterface
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }
}
