package dev.kiln.server.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Receives every request body whole before the request goes on to Javalin, without holding a thread
 * while it waits: when no byte is there to read, it asks Jetty to call back once one is ({@code
 * demand}) and gives its thread back. A connection that sends its headers and then stalls costs a
 * socket and the bytes it sent, never one of the server's 250 threads, so no number of them, with
 * a key or without, keeps others from being served (docs/security.md, "Denial of service").
 * Javalin's routes then read the body from memory and never block on the network.
 *
 * <p>Chosen over the alternatives because it closes the whole class in one place: checking the key
 * before reading would still leave a thread per stalled body of a key holder (and of every
 * legacy-key request, whose key is in the body), a shorter first-byte deadline only shortens the
 * hold, and a cap on concurrent reads turns a flood into 503s for everyone under that cap.
 *
 * <p>On the way it answers, in Braze's shape and before the body is read (so a client that sent
 * {@code Expect: 100-continue} gets no {@code 100 Continue}): 413 for a declared length over the
 * limit and 415 for a {@code Content-Encoding} other than gzip or deflate ({@link BodyEncoding}). A
 * body over the limit as it arrives, or once inflated, is 413; one that stops arriving is 408 when
 * the read timeout (the connector's idle timeout) passes, as is one {@link SlowBodyGuard} cuts off.
 */
public final class RequestBodies extends Handler.Wrapper {
  /** What a chunked body or one with a large Content-Length starts with: memory follows the bytes that arrive. */
  private static final int INITIAL_CAPACITY = 16 * 1024;

  private final int maxBodyBytes;

  public RequestBodies(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long declaredLength = request.getLength();
    boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if (declaredLength <= 0 && !chunked) {
      return super.handle(request, response, callback);
    }
    if (declaredLength > maxBodyBytes) {
      JsonErrorHandler.respond(response, callback, ApiError.payloadTooLarge(maxBodyBytes));
      return true;
    }
    BodyEncoding encoding;
    try {
      encoding = BodyEncoding.of(request.getHeaders().get(HttpHeader.CONTENT_ENCODING));
    } catch (ApiError unsupported) {
      JsonErrorHandler.respond(response, callback, unsupported);
      return true;
    }
    new Reception(request, response, callback, encoding, declaredLength).run();
    return true;
  }

  /** One request's body as it arrives; runs again each time Jetty says more bytes are there. */
  private final class Reception implements Runnable {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final BodyEncoding encoding;
    private byte[] bytes;
    private int size;

    Reception(Request request, Response response, Callback callback, BodyEncoding encoding, long declaredLength) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.encoding = encoding;
      this.bytes = new byte[(int) (declaredLength > 0 ? Math.min(declaredLength, INITIAL_CAPACITY) : INITIAL_CAPACITY)];
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this); // nothing there yet: this thread goes back to the pool
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          JsonErrorHandler.respond(response, callback, unreadable(chunk.getFailure()));
          return;
        }
        boolean last = chunk.isLast();
        boolean fits = append(chunk.getByteBuffer());
        chunk.release();
        if (!fits) {
          JsonErrorHandler.respond(response, callback, ApiError.payloadTooLarge(maxBodyBytes));
          return;
        }
        if (last) {
          handOn();
          return;
        }
      }
    }

    private boolean append(ByteBuffer data) {
      int length = data.remaining();
      if (length > maxBodyBytes - size) {
        return false;
      }
      if (length > bytes.length - size) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(maxBodyBytes, Math.max(size + (long) length, 2L * bytes.length)));
      }
      data.get(bytes, size, length);
      size += length;
      return true;
    }

    private void handOn() {
      byte[] body;
      try {
        body = encoding.decode(bytes, size, maxBodyBytes);
      } catch (ApiError refused) {
        JsonErrorHandler.respond(response, callback, refused);
        return;
      }
      try {
        Request received = new ReceivedRequest(request, body, body == bytes ? size : body.length, encoding);
        if (!RequestBodies.super.handle(received, response, callback)) {
          Response.writeError(request, response, callback, 404);
        }
      } catch (Throwable failure) {
        callback.failed(failure); // as Jetty's server does for a handler that throws: a 500, logged
      }
    }
  }

  /** A body that stopped arriving is a 408; one the client cut short (a close, broken chunking) a 400. */
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
      this.headers = request.getLength() == length && encoding == BodyEncoding.IDENTITY
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
