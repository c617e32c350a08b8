package dev.kiln.server.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Receives every request body whole before the request goes on to Javalin, without holding a thread
 * while it waits: when no byte is there to read, it asks Jetty to call back once one is ({@code
 * demand}) and gives its thread back. A connection that sends its headers and then stalls costs a
 * socket and the bytes it sent, never one of the server's 250 threads, so no number of them, with a
 * key or without, keeps others from being served (docs/security.md, "Denial of service"). Javalin's
 * routes then read the body from memory and never block on the network.
 *
 * <p>Chosen over the alternatives because it closes the whole class in one place: checking the key
 * before reading would still leave a thread per stalled body of a key holder (and of every
 * legacy-key request, whose key is in the body), a shorter first-byte deadline only shortens the
 * hold, and a cap on the number of bodies being read turns a flood of a few hundred into refusals
 * for everyone. What a waiting body does cost, memory, is capped instead: buffers grow with the
 * bytes that arrive, not with the declared length, and all of them together stay under {@code
 * KILN_MAX_ARRIVING_BODY_BYTES} (past it: 503 with {@code Retry-After}, never an out-of-memory
 * error).
 *
 * <p>On the way it answers, in Braze's shape and before the body is read (so a client that sent
 * {@code Expect: 100-continue} gets no {@code 100 Continue}): 413 for a declared length over the
 * limit and 415 for a {@code Content-Encoding} other than gzip or deflate ({@link BodyEncoding}). A
 * body over the limit as it arrives, or once inflated, is 413; one that stops arriving is 408 when
 * the read timeout (the connector's idle timeout) passes, as is one {@link SlowBodyGuard} cuts off.
 */
public final class RequestBodies extends Handler.Wrapper {
  /**
   * The most a body of unknown or large length starts with: memory follows the bytes that arrive.
   */
  private static final int FIRST_CAPACITY = 16 * 1024;

  /**
   * The least of a refused body read and dropped before the close, whatever the body limit: 2 MiB,
   * Tomcat's {@code maxSwallowSize}. Twice a small limit (a few KiB) is less than a client commonly
   * has in flight when the answer comes, and the close would then reset the connection.
   */
  private static final long LEAST_SWALLOWED_BYTES = 2L * 1024 * 1024;

  private final int maxBodyBytes;
  private final long maxArrivingBytes;

  /**
   * The capacity of the buffers of every body still arriving, each counted before it is allocated.
   */
  private final AtomicLong arrivingBytes = new AtomicLong();

  /**
   * @param maxArrivingBytes the most memory the bodies still arriving may hold together; past it a
   *     body is refused with 503 rather than buffered, so a flood of unfinished bodies costs
   *     bounded memory where it used to cost threads
   */
  public RequestBodies(int maxBodyBytes, long maxArrivingBytes) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxArrivingBytes = maxArrivingBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long declaredLength = request.getLength();
    boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if (declaredLength <= 0 && !chunked) {
      return super.handle(request, response, callback);
    }
    Reception reception = new Reception(request, response, callback, declaredLength);
    try {
      if (declaredLength > maxBodyBytes) {
        throw ApiError.payloadTooLarge(maxBodyBytes);
      }
      reception.encoding = BodyEncoding.of(request.getHeaders().get(HttpHeader.CONTENT_ENCODING));
    } catch (ApiError refused) {
      reception.refuse(refused);
      return true;
    }
    reception.run();
    return true;
  }

  /** One request's body as it arrives; runs again each time Jetty says more bytes are there. */
  private final class Reception implements Runnable {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final int firstCapacity;
    private BodyEncoding encoding;
    private byte[] bytes = new byte[0];
    private int size;
    private int reserved;

    /**
     * Whether the body has been asked for: once it has, Jetty has sent any {@code 100 Continue}.
     */
    private boolean reading;

    /**
     * Whether the body stopped arriving or the client broke it off: then there is nothing to
     * swallow.
     */
    private boolean cutOff;

    Reception(Request request, Response response, Callback callback, long declaredLength) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.firstCapacity =
          (int) (declaredLength > 0 ? Math.min(declaredLength, FIRST_CAPACITY) : FIRST_CAPACITY);
    }

    @Override
    public void run() {
      try {
        receive();
      } catch (ApiError refused) {
        refuse(refused);
      }
    }

    private void receive() {
      reading = true;
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this); // nothing there yet: this thread goes back to the pool
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          cutOff = true;
          throw unreadable(chunk.getFailure());
        }
        boolean last = chunk.isLast();
        try {
          append(chunk.getByteBuffer());
        } finally {
          chunk.release();
        }
        if (last) {
          handOn();
          return;
        }
      }
    }

    private void append(ByteBuffer data) {
      int length = data.remaining();
      if (length > maxBodyBytes - size) {
        throw ApiError.payloadTooLarge(maxBodyBytes);
      }
      if (length > bytes.length - size) {
        grow(size + length);
      }
      data.get(bytes, size, length);
      size += length;
    }

    private void grow(int needed) {
      int capacity =
          (int)
              Math.min(maxBodyBytes, Math.max(needed, Math.max(2L * bytes.length, firstCapacity)));
      int more = capacity - bytes.length;
      if (arrivingBytes.addAndGet(more) > maxArrivingBytes) {
        arrivingBytes.addAndGet(-more);
        throw new ApiError(
            503,
            "Service Unavailable: the server is receiving too many request bodies at once; retry shortly");
      }
      reserved += more;
      bytes = Arrays.copyOf(bytes, capacity);
    }

    /**
     * The body is whole: from here it is held by the thread that handles it, no longer counted as
     * arriving.
     */
    @SuppressWarnings(
        "ReferenceEquality") // decode returns the buffer itself when nothing was encoded
    private void handOn() {
      byte[] body = encoding.decode(bytes, size, maxBodyBytes);
      int length = body == bytes ? size : body.length;
      unreserve();
      try {
        if (!RequestBodies.super.handle(
            new ReceivedRequest(request, body, length, encoding), response, callback)) {
          Response.writeError(request, response, callback, 404);
        }
      } catch (Throwable failure) {
        callback.failed(failure); // as Jetty's server does for a handler that throws: a 500, logged
      }
    }

    /**
     * Answers before the request reaches Javalin, and closes the connection after the answer
     * (saying so, so that no client sends its next request on it). The rest of the body may still
     * be on its way, and a connection closed with unread bytes is reset, which can destroy the
     * answer before the client reads it; so, as Tomcat does, what is left is read and dropped, up
     * to twice the body limit and at least {@link #LEAST_SWALLOWED_BYTES}, before the close. Not
     * when the client waits for {@code 100 Continue} before sending any (the answer is all it
     * gets), nor when the body was cut off.
     */
    void refuse(ApiError refused) {
      unreserve();
      if (refused.status() == 503) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
      }
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      boolean bodyComing =
          !cutOff && (reading || !request.getHeaders().contains(HttpHeader.EXPECT, "100-continue"));
      Callback then =
          bodyComing
              ? Callback.from(
                  new Swallow(
                      request, Math.max(2L * maxBodyBytes, LEAST_SWALLOWED_BYTES), callback),
                  callback::failed)
              : callback;
      JsonErrorHandler.respond(response, then, refused);
    }

    private void unreserve() {
      arrivingBytes.addAndGet(-reserved);
      reserved = 0;
    }
  }

  /** Reads and drops what is left of a refused body, up to a bound, then completes the request. */
  private static final class Swallow implements Runnable {
    private final Request request;
    private final Callback completion;
    private long left;

    Swallow(Request request, long bound, Callback completion) {
      this.request = request;
      this.left = bound;
      this.completion = completion;
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this); // as while receiving: no thread waits for the bytes
          return;
        }
        left -= chunk.remaining();
        boolean over = chunk.isLast() || Content.Chunk.isFailure(chunk) || left < 0;
        chunk.release();
        if (over) {
          completion.succeeded();
          return;
        }
      }
    }
  }

  /**
   * A body that stopped arriving is a 408; one the client cut short (a close, broken chunking) a
   * 400.
   */
  private static ApiError unreadable(Throwable failure) {
    return failure instanceof TimeoutException
        ? ApiError.requestTimeout()
        : ApiError.badRequest("The request body ended before its Content-Length");
  }

  /** The request as Javalin sees it: its body, whole and decoded, read from memory. */
  private static final class ReceivedRequest extends Request.Wrapper {
    private final Content.Source body;
    private final long length;
    private final HttpFields headers;

    ReceivedRequest(Request request, byte[] body, int length, BodyEncoding encoding) {
      super(request);
      this.body = Content.Source.from(ByteBuffer.wrap(body, 0, length));
      this.length = length;
      this.headers =
          request.getLength() == length && encoding == BodyEncoding.IDENTITY
              ? request.getHeaders()
              : HttpFields.build(request.getHeaders())
                  .remove(HttpHeader.CONTENT_ENCODING)
                  .remove(HttpHeader.TRANSFER_ENCODING)
                  .put(HttpHeader.CONTENT_LENGTH, length)
                  .asImmutable();
    }

    @Override
    public HttpFields getHeaders() {
      return headers;
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public Content.Chunk read() {
      return body.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
      body.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
      body.fail(failure);
    }

    @Override
    public boolean consumeAvailable() {
      return true; // the whole body is in memory: nothing is left on the connection
    }
  }
}
