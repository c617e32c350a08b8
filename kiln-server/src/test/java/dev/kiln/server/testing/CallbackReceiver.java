package dev.kiln.server.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real HTTP endpoint on 127.0.0.1 that records the bodies POSTed to it and answers 200. */
public final class CallbackReceiver implements AutoCloseable {
  private final HttpServer server;
  private final LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
  private final List<String> all = new CopyOnWriteArrayList<>();

  private CallbackReceiver(HttpServer server) {
    this.server = server;
  }

  public static CallbackReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      CallbackReceiver receiver = new CallbackReceiver(server);
      server.createContext(
          "/callback",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            receiver.all.add(body);
            receiver.bodies.add(body);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
  }

  /** The next body received, waiting up to {@code timeout}; fails the test when none comes. */
  public String next(Duration timeout) throws InterruptedException {
    String body = bodies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (body == null) {
      throw new AssertionError("no callback within " + timeout);
    }
    return body;
  }

  /** Every body received so far. */
  public List<String> received() {
    return List.copyOf(all);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
