package dev.kiln.server.http;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Cuts off a request whose body arrives slower than a minimum rate: a body trickled in a byte at a
 * time (a slow-loris attack) would otherwise hold its connection and buffer for as long as the
 * client likes, since every byte resets the read timeout. Each request is judged on its own bytes,
 * from its first read, once a grace period has passed, so a short pause before a body is not
 * punished. {@link RequestBodies}, reading the body, sees the failure and answers 408.
 *
 * <p>Written here because Jetty's own {@code MinimumDataRateHandler} measures the bytes of every
 * request the server has read, so on a busy server it never fires.
 */
public final class SlowBodyGuard extends Handler.Wrapper {
  private static final Duration GRACE = Duration.ofSeconds(1);

  private final long minBytesPerSecond;

  public SlowBodyGuard(long minBytesPerSecond) {
    if (minBytesPerSecond < 1) {
      throw new IllegalArgumentException("minBytesPerSecond < 1");
    }
    this.minBytesPerSecond = minBytesPerSecond;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    return super.handle(new RateCheckedRequest(request), response, callback);
  }

  /** Reads of one request happen one after another, never at once, so plain fields suffice. */
  private final class RateCheckedRequest extends Request.Wrapper {
    private long firstReadNanos;
    private long bytesRead;

    RateCheckedRequest(Request request) {
      super(request);
    }

    @Override
    public Content.Chunk read() {
      long now = System.nanoTime();
      if (firstReadNanos == 0) {
        firstReadNanos = now;
      }
      Content.Chunk chunk = super.read();
      if (chunk == null || Content.Chunk.isFailure(chunk)) {
        return chunk;
      }
      bytesRead += chunk.remaining();
      if (!chunk.isLast() && tooSlow(now)) {
        chunk.release();
        return Content.Chunk.from(
            new TimeoutException(
                "the request body arrived slower than " + minBytesPerSecond + " bytes per second"));
      }
      return chunk;
    }

    private boolean tooSlow(long now) {
      long elapsedNanos = now - firstReadNanos;
      return elapsedNanos > GRACE.toNanos()
          && bytesRead * 1_000_000_000L / elapsedNanos < minBytesPerSecond;
    }
  }
}
