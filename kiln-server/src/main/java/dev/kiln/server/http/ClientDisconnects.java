package dev.kiln.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that a client closed its connection while its request's handler waits on something else
 * (a segment query). Jetty 12 learns of a closed connection only when it reads or writes it, and a
 * handler that has read its request does neither until it answers. So the connection's channel is
 * watched through a selector of its own, polled a few times a second: readable with nothing to read
 * means the client sent its FIN (or a reset). Readable with bytes means the client pipelined its
 * next request: the watch ends there (those bytes are Jetty's to read) and the handler runs to its
 * end.
 */
public final class ClientDisconnects {
  private static final Logger LOG = LoggerFactory.getLogger(ClientDisconnects.class);
  private static final long POLL_MILLIS = 250;
  private static final ScheduledExecutorService POLLER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("client-disconnects").daemon().factory());

  private ClientDisconnects() {}

  /** Runs {@code onGone} once if the client of {@code ctx} goes away before the watch is closed. */
  public static Watch watch(Context ctx, Runnable onGone) {
    Optional<SocketChannel> channel = channelOf(ctx);
    if (channel.isEmpty()) {
      return () -> {}; // not a plain TCP connection: nothing to watch
    }
    try {
      return new ChannelWatch(channel.get(), onGone);
    } catch (IOException e) {
      LOG.warn("cannot watch a client's connection; a request it leaves runs to its end", e);
      return () -> {};
    }
  }

  private static Optional<SocketChannel> channelOf(Context ctx) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
    if (request == null) {
      return Optional.empty();
    }
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    return endPoint.getTransport() instanceof SocketChannel socket
        ? Optional.of(socket)
        : Optional.empty();
  }

  /** A watch on a request's connection; closing it ends the watch. */
  @FunctionalInterface
  public interface Watch extends AutoCloseable {
    @Override
    void close();
  }

  private static final class ChannelWatch implements Watch {
    private final SocketChannel channel;
    private final Runnable onGone;
    private final Selector selector;
    private final SelectionKey key;
    private final ScheduledFuture<?> polling;
    private boolean ended;

    ChannelWatch(SocketChannel channel, Runnable onGone) throws IOException {
      this.channel = channel;
      this.onGone = onGone;
      this.selector = Selector.open();
      this.key =
          channel.register(
              selector,
              SelectionKey.OP_READ); // beside Jetty's own selector: a channel may have several
      this.polling =
          POLLER.scheduleWithFixedDelay(
              this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void poll() {
      boolean gone;
      synchronized (this) {
        if (ended) {
          return;
        }
        try {
          selector.selectNow();
          if (!key.isValid() || !key.isReadable()) {
            return;
          }
          gone = channel.socket().getInputStream().available() == 0;
        } catch (IOException e) {
          gone = true; // the connection broke
        }
        end();
      }
      if (gone) {
        onGone.run();
      }
    }

    @Override
    public synchronized void close() {
      end();
    }

    private void end() {
      if (ended) {
        return;
      }
      ended = true;
      polling.cancel(false);
      try {
        selector.close(); // deregisters the channel from this selector only
      } catch (IOException e) {
        LOG.debug("closing a connection watch", e);
      }
    }
  }
}
