package dev.kiln.export.callback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A callback endpoint on 127.0.0.1 that records what it receives and answers from a script: the
 * n-th request gets the n-th reply, and the last reply repeats.
 */
final class Receiver implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final List<Reply> script;
  private final AtomicInteger next = new AtomicInteger();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  /** Holds the requests answered by {@link #hang()} until the receiver closes. */
  private final CountDownLatch release = new CountDownLatch(1);

  private Receiver(List<Reply> script) throws IOException {
    this.script = List.copyOf(script);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // One thread per request, so a hanging reply does not hold up the next attempt.
    server.setExecutor(handlers);
    server.start();
  }

  static Receiver start(Reply... script) throws IOException {
    return new Receiver(List.of(script));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Waits until at least {@code count} requests arrived. */
  void awaitRequests(int count) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (received.size() < count) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("expected " + count + " requests, got " + received.size());
      }
      Thread.sleep(5);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            exchange.getRequestHeaders().getFirst("User-Agent"),
            new String(body, StandardCharsets.UTF_8)));
    int index = Math.min(next.getAndIncrement(), script.size() - 1);
    script.get(index).answer(exchange, release);
  }

  /** Releases hanging replies and stops; handlers still running end on their own. */
  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  static Reply status(int code) {
    return (exchange, release) -> {
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    };
  }

  static Reply redirectTo(String location) {
    return (exchange, release) -> {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    };
  }

  /** Answers nothing until the receiver closes: the sender's request times out. */
  static Reply hang() {
    return (exchange, release) -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    };
  }

  /** Closes the connection without an answer. The JDK server does so when a handler throws. */
  static Reply dropConnection() {
    return (exchange, release) -> {
      throw new IOException("dropping the connection on purpose");
    };
  }

  @FunctionalInterface
  interface Reply {
    void answer(HttpExchange exchange, CountDownLatch release) throws IOException;
  }

  record Received(String method, String path, String contentType, String userAgent, String body) {}
}
