package dev.kiln.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A callback endpoint on 127.0.0.1 that accepts connections and never answers them, until told to
 * {@link #answer()}: from then on it reads each request and answers 200, recording its body. Raw
 * sockets, so a connection really is held open with nothing said, as a mute or overloaded receiver
 * does.
 */
public final class MuteCallbackReceiver implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
  private volatile boolean answering;

  private MuteCallbackReceiver(ServerSocket server) {
    this.server = server;
    this.acceptor = Thread.ofPlatform().name("mute-receiver").daemon().start(this::accept);
  }

  public static MuteCallbackReceiver start() {
    try {
      return new MuteCallbackReceiver(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/callback";
  }

  /** How many connections it accepted and left unanswered. */
  public int unanswered() {
    return held.size();
  }

  /** From now on, requests are answered 200. */
  public void answer() {
    answering = true;
  }

  /** The next body answered, waiting up to {@code timeout}; fails the test when none comes. */
  public String next(Duration timeout) throws InterruptedException {
    String body = bodies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (body == null) {
      throw new AssertionError("no callback answered within " + timeout);
    }
    return body;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        if (answering) {
          Thread.ofVirtual().start(() -> answer(socket));
        } else {
          held.add(socket); // open, unread, never answered
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void answer(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      int length = contentLength(head);
      bodies.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      out.write(
          "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // the client went away; it retries
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the request ended in its headers");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() {
    try {
      server.close();
      for (Socket socket : held) {
        socket.close();
      }
      acceptor.join(Duration.ofSeconds(5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
