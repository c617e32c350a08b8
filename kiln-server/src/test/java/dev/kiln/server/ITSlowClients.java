package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RawHttp;
import dev.kiln.server.testing.RawHttp.Answer;
import dev.kiln.server.testing.RunningKiln;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that send too slowly (a stalled connection, a body trickled byte by byte: a slow-loris
 * attack, or a broken network) must not hold a server thread forever. Each is cut off with {@code
 * 408 {"message": ...}} where it can still be answered, nothing of the request is stored, and the
 * server goes on serving others. Raw sockets, because HTTP clients do not send this slowly.
 */
class ITSlowClients {
  private static final int READ_TIMEOUT_SECONDS = 2;
  private static final int MIN_BYTES_PER_SECOND = 200;
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);

  @RegisterExtension
  static final RunningKiln kiln =
      RunningKiln.perClass(
          Map.of(
              "KILN_READ_TIMEOUT_SECONDS", Integer.toString(READ_TIMEOUT_SECONDS),
              "KILN_MIN_REQUEST_BYTES_PER_SECOND", Integer.toString(MIN_BYTES_PER_SECOND)));

  private static String body(String externalId) {
    // Some 450 bytes, each name within the 255-character bound: a trickle of them takes 45 s.
    return "{\"attributes\":[{\"external_id\":\""
        + externalId
        + "\",\"first_name\":\""
        + "x".repeat(200)
        + "\",\"last_name\":\""
        + "y".repeat(200)
        + "\"}]}";
  }

  private static String headers(int contentLength) {
    return "POST /users/track HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n"
        + "Authorization: Bearer "
        + kiln.key()
        + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  @Test
  void aBodyThatStopsArrivingIsAnsweredWith408AndStoresNothing() throws IOException {
    String body = body("stalled");
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(headers(body.length()).getBytes(StandardCharsets.US_ASCII));
      out.write(body.substring(0, 20).getBytes(StandardCharsets.US_ASCII));
      out.flush();

      Answer answer = RawHttp.read(socket);

      assertThat(answer.status()).as("%s", answer).isEqualTo(408);
      assertThat(answer.response().json().path("message").asText())
          .as("%s", answer)
          .startsWith("Request Timeout");
    }
    assertNotStored("stalled");
  }

  @Test
  void aBodyTrickledSlowerThanTheMinimumRateIsCutOffBeforeItEnds()
      throws IOException, InterruptedException {
    String body = body("trickled");
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(headers(body.length()).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // 10 bytes a second, each well within the read timeout: only the rate gives this client away.
      int sent = 0;
      while (sent < body.length()
          && socket.getInputStream().available() == 0
          && send(out, body.charAt(sent))) {
        sent++;
        Thread.sleep(100);
      }

      assertThat(sent)
          .as("bytes sent before the server cut the trickle off")
          .isLessThan(body.length());
      Answer answer = RawHttp.read(socket);
      assertThat(answer.status()).as("%s", answer).isIn(408, -1);
    }
    assertNotStored("trickled");
  }

  @Test
  void headersThatStopArrivingCloseTheConnection() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "POST /users/track HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();

      Answer answer = RawHttp.read(socket);

      assertThat(answer.status()).as("closed, or told 408: %s", answer).isIn(408, -1);
    }
  }

  @Test
  void theServerServesOthersWhileAndAfterSlowClientsAreCutOff() throws IOException {
    try (Socket stalled = connect()) {
      stalled.getOutputStream().write(headers(1000).getBytes(StandardCharsets.US_ASCII));
      stalled.getOutputStream().flush();

      assertThat(kiln.post("/users/track", body("prompt")).status()).isEqualTo(201);
    }
    assertThat(
            kiln.post("/users/export/ids", "{\"external_ids\":[\"prompt\"]}").json().get("users"))
        .hasSize(1);
  }

  private static Socket connect() throws IOException {
    return RawHttp.connect(kiln, ANSWER_WITHIN);
  }

  /** False once the server has closed the connection. */
  private static boolean send(OutputStream out, char c) {
    try {
      out.write(c);
      out.flush();
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  private static void assertNotStored(String externalId) {
    JsonNode answer =
        kiln.post("/users/export/ids", "{\"external_ids\":[\"" + externalId + "\"]}").json();
    assertThat(answer.get("users")).as("%s", answer).isEmpty();
  }
}
