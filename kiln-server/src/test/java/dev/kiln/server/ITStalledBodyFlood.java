package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.auth.Permission;
import dev.kiln.server.testing.RawHttp;
import dev.kiln.server.testing.RawHttp.Answer;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flood of connections that send their headers and then stall (no body byte, or a few) must not
 * take the server away from everyone else: waiting for a body costs no server thread, so a normal
 * client is served promptly while hundreds of stalled bodies wait out the read timeout, which then
 * answers each of them 408 (or closes it) with nothing stored. More stalled connections than
 * Jetty's 250 threads, so on a server that waits for bodies on its threads, the normal client waits
 * out the read timeout too. What waiting bodies do cost, memory, is bounded
 * (KILN_MAX_ARRIVING_BODY_BYTES). Raw sockets, because HTTP clients do not stall on purpose.
 */
class ITStalledBodyFlood {
  private static final int STALLED_CONNECTIONS = 420;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(25);

  /**
   * Prompt on a loaded two-core machine, and far below the read timeout a held thread would wait
   * for.
   */
  private static final Duration PROMPTLY = Duration.ofSeconds(8);

  @RegisterExtension
  static final RunningKiln kiln =
      RunningKiln.perClass(
          Map.of("KILN_READ_TIMEOUT_SECONDS", Long.toString(READ_TIMEOUT.toSeconds())));

  private final List<Socket> stalled = new ArrayList<>();

  @AfterEach
  void closeStalledConnections() throws IOException {
    for (Socket socket : stalled) {
      socket.close();
    }
  }

  @Test
  void aNormalClientIsServedPromptlyWhileHundredsOfBodiesStallAndTheStalledOnesStoreNothing()
      throws IOException {
    String lackingPermission =
        kiln.createKey("no-track", Set.of(Permission.USERS_EXPORT_IDS), List.of());
    List<String> authentications =
        List.of(
            "Authorization: Bearer " + kiln.key() + "\r\n",
            "",
            "Authorization: Bearer " + lackingPermission + "\r\n");
    for (int n = 0; n < STALLED_CONNECTIONS; n++) {
      stalled.add(stallAfterHeaders(n, authentications.get(n % authentications.size())));
    }

    assertThat(
            promptly(
                    HttpRequest.newBuilder(kiln.uri("/users/track"))
                        .header("Authorization", "Bearer " + kiln.key())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body("prompt"))))
                .status())
        .isEqualTo(201);
    assertThat(promptly(HttpRequest.newBuilder(kiln.uri("/health")).GET()).status()).isEqualTo(200);

    for (Socket socket : stalled) {
      assertThat(RawHttp.read(socket).status())
          .as("a stalled body is answered 408 or closed")
          .isIn(408, -1);
    }
    assertThat(
            kiln.post("/users/export/ids", "{\"external_ids\":[\"prompt\"]}").json().get("users"))
        .hasSize(1);
    for (int n = 0; n < STALLED_CONNECTIONS; n++) {
      JsonNode found =
          kiln.post("/users/export/ids", "{\"external_ids\":[\"stalled-" + n + "\"]}").json();
      assertThat(found.get("users")).as("stalled-%d: %s", n, found).isEmpty();
    }
  }

  @Test
  void bodiesStillArrivingShareABoundedMemoryPastWhichABodyIs503AtOnceAndItIsFreedWhenTheyEnd()
      throws IOException {
    int maxBody = 1 << 20;
    try (RunningKiln bounded =
        RunningKiln.start(
            Map.of(
                "KILN_READ_TIMEOUT_SECONDS", "4",
                "KILN_MAX_BODY_BYTES", Integer.toString(maxBody),
                "KILN_MAX_ARRIVING_BODY_BYTES", Integer.toString(2 * maxBody)))) {
      String key = "Authorization: Bearer " + bounded.key() + "\r\n";
      // Two bodies of 1 MiB, each more than half sent and then stalled, take the whole bound
      // between them.
      for (int n = 0; n < 2; n++) {
        Socket socket = RawHttp.connect(bounded, READ_TIMEOUT);
        stalled.add(socket);
        socket
            .getOutputStream()
            .write(trackHeaders(key, maxBody).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(new byte[600 * 1024]);
        socket.getOutputStream().flush();
      }
      String small = body("after-the-flood");

      Answer refused = firstRefusal(bounded, trackHeaders(key, small.length()) + small);

      assertThat(refused.status()).as("%s", refused.raw()).isEqualTo(503);
      assertThat(refused.response().header("Retry-After")).isEqualTo("1");
      assertThat(refused.response().json().path("message").asText())
          .startsWith("Service Unavailable");
      assertThat(bounded.send(HttpRequest.newBuilder(bounded.uri("/health")).GET()).status())
          .as("a request without a body needs none of the bound")
          .isEqualTo(200);
      for (Socket socket : stalled) {
        assertThat(RawHttp.read(socket).status()).isIn(408, -1);
      }
      assertThat(bounded.post("/users/track", small).status())
          .as("the bound is free again")
          .isEqualTo(201);
    }
  }

  /**
   * The answer to {@code request} once the server has taken in the stalled bytes already sent (they
   * may still be in flight): the same small request, sent again until it is refused or a while
   * passes.
   */
  private static Answer firstRefusal(RunningKiln server, String request) throws IOException {
    long deadline = System.nanoTime() + PROMPTLY.toNanos();
    Answer answer = RawHttp.exchange(server, request, PROMPTLY);
    while (answer.status() != 503 && System.nanoTime() < deadline) {
      answer = RawHttp.exchange(server, request, PROMPTLY);
    }
    return answer;
  }

  /** The headers of a /users/track request; {@code authorization} is a header line, or empty. */
  private static String trackHeaders(String authorization, int contentLength) {
    return "POST /users/track HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + authorization
        + "Content-Type: application/json\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  private static String body(String externalId) {
    return "{\"attributes\":[{\"external_id\":\"" + externalId + "\",\"plan\":\"gold\"}]}";
  }

  /**
   * Sends the headers of a /users/track request, then stops: every other connection before its
   * first body byte, the rest after the first bytes of the body.
   */
  private static Socket stallAfterHeaders(int n, String authorization) throws IOException {
    String body = body("stalled-" + n);
    String headers = trackHeaders(authorization, body.length());
    String sent = n % 2 == 0 ? headers : headers + body.substring(0, body.length() / 2);
    Socket socket = RawHttp.connect(kiln, READ_TIMEOUT.multipliedBy(2));
    socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /**
   * Sends on a client of its own, whose connection closes with it: one left in the shared client's
   * pool would sit idle while the stalled bodies wait out the read timeout, and be closed by the
   * server just as the next request took it.
   */
  private static Response promptly(HttpRequest.Builder request) {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return Response.send(client, request.timeout(PROMPTLY).build());
    } catch (UncheckedIOException timedOut) {
      throw new AssertionError("not answered within " + PROMPTLY + " while bodies stall", timedOut);
    }
  }
}
