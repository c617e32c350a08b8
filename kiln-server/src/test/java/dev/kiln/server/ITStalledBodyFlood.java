package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.auth.Permission;
import dev.kiln.server.testing.RawHttp;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flood of connections that send their headers and then stall (no body byte, or a few) must not
 * take the server away from everyone else: waiting for a body costs no server thread, so a normal
 * client is served promptly while hundreds of stalled bodies wait out the read timeout, which then
 * answers each of them 408 (or closes it) with nothing stored. More stalled connections than Jetty's
 * 250 threads, so on a server that waits for bodies on its threads, the normal client waits out the
 * read timeout too. Raw sockets, because HTTP clients do not stall on purpose.
 */
class ITStalledBodyFlood {
  private static final int STALLED_CONNECTIONS = 420;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(25);
  /** Prompt on a loaded two-core machine, and far below the read timeout a held thread would wait for. */
  private static final Duration PROMPTLY = Duration.ofSeconds(8);

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass(Map.of(
      "KILN_READ_TIMEOUT_SECONDS", Long.toString(READ_TIMEOUT.toSeconds())));

  private final List<Socket> stalled = new ArrayList<>();

  @AfterEach
  void closeStalledConnections() throws IOException {
    for (Socket socket : stalled) {
      socket.close();
    }
  }

  @Test
  void aNormalClientIsServedPromptlyWhileHundredsOfBodiesStallAndTheStalledOnesStoreNothing() throws IOException {
    String lackingPermission = kiln.createKey("no-track", Set.of(Permission.USERS_EXPORT_IDS), List.of());
    List<IntFunction<String>> authentications = List.of(
        n -> "Authorization: Bearer " + kiln.key() + "\r\n",
        n -> "",
        n -> "Authorization: Bearer " + lackingPermission + "\r\n");
    for (int n = 0; n < STALLED_CONNECTIONS; n++) {
      stalled.add(stallAfterHeaders(n, authentications.get(n % authentications.size()).apply(n)));
    }

    assertThat(promptly(HttpRequest.newBuilder(kiln.uri("/users/track"))
        .header("Authorization", "Bearer " + kiln.key())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body("prompt")))).status()).isEqualTo(201);
    assertThat(promptly(HttpRequest.newBuilder(kiln.uri("/health")).GET()).status()).isEqualTo(200);

    for (Socket socket : stalled) {
      assertThat(RawHttp.read(socket).status()).as("a stalled body is answered 408 or closed").isIn(408, -1);
    }
    assertThat(kiln.post("/users/export/ids", "{\"external_ids\":[\"prompt\"]}").json().get("users")).hasSize(1);
    for (int n = 0; n < STALLED_CONNECTIONS; n++) {
      JsonNode found = kiln.post("/users/export/ids", "{\"external_ids\":[\"stalled-" + n + "\"]}").json();
      assertThat(found.get("users")).as("stalled-%d: %s", n, found).isEmpty();
    }
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
    String headers = "POST /users/track HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization
        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n";
    String sent = n % 2 == 0 ? headers : headers + body.substring(0, body.length() / 2);
    Socket socket = RawHttp.connect(kiln, READ_TIMEOUT.multipliedBy(2));
    socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private static Response promptly(HttpRequest.Builder request) {
    try {
      return kiln.send(request.timeout(PROMPTLY));
    } catch (UncheckedIOException timedOut) {
      throw new AssertionError("not answered within " + PROMPTLY + " while bodies stall", timedOut);
    }
  }
}
