package dev.kiln.server.testing;

import dev.kiln.server.testing.RunningKiln.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a raw socket, for requests no HTTP client will send (stalled or malformed ones) and
 * for reading exactly what the server wrote back, interim responses included.
 */
public final class RawHttp {
  private RawHttp() {}

  /**
   * What the server wrote before it finished its answer or closed: every byte, and the final
   * answer.
   */
  public record Answer(String raw, Response response) {
    /** The status of the final answer, or -1 when the server closed without one. */
    public int status() {
      return response.status();
    }
  }

  /** Sends {@code request} as it is on a new connection and reads the answer. */
  public static Answer exchange(RunningKiln kiln, byte[] request, Duration within)
      throws IOException {
    try (Socket socket = connect(kiln, within)) {
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return read(socket);
    }
  }

  /** {@link #exchange(RunningKiln, byte[], Duration)} of US-ASCII text. */
  public static Answer exchange(RunningKiln kiln, String request, Duration within)
      throws IOException {
    return exchange(kiln, request.getBytes(StandardCharsets.ISO_8859_1), within);
  }

  public static Socket connect(RunningKiln kiln, Duration within) throws IOException {
    Socket socket = new Socket("127.0.0.1", kiln.uri("/").getPort());
    socket.setSoTimeout((int) within.toMillis());
    return socket;
  }

  /**
   * Reads until the final answer (not a 1xx) is complete or the server closes; fails the test when
   * the server does neither within the socket's timeout.
   */
  public static Answer read(Socket socket) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.write(buffer, 0, n);
        if (finalAnswerOf(received.toString(StandardCharsets.ISO_8859_1)) != null) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the server neither answered nor closed in time; it sent: " + received, e);
    } catch (IOException reset) {
      // a reset is a close, with or without an answer
    }
    String raw = received.toString(StandardCharsets.ISO_8859_1);
    Response answer = finalAnswerOf(raw);
    return new Answer(raw, answer != null ? answer : new Response(-1, raw, Map.of()));
  }

  /** The last complete, non-interim answer in what was received, or null if there is none yet. */
  private static Response finalAnswerOf(String raw) {
    int start = raw.lastIndexOf("HTTP/1.1 ");
    int headEnd = start < 0 ? -1 : raw.indexOf("\r\n\r\n", start);
    if (headEnd < 0 || raw.startsWith("1", start + 9)) {
      return null;
    }
    List<String> lines = raw.substring(start, headEnd).lines().toList();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    String body = raw.substring(headEnd + 4);
    List<String> length = headers.getOrDefault("content-length", List.of("0"));
    if (body.length() < Integer.parseInt(length.getFirst())) {
      return null;
    }
    return new Response(Integer.parseInt(raw.substring(start + 9, start + 12)), body, headers);
  }
}
