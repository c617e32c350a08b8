package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.http.Json;
import dev.kiln.server.testing.RunningKiln;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop while clients are sending: requests in flight finish, and every request that was
 * answered 201 is in the store when a new server starts on the same data folder.
 */
class ITGracefulShutdown {
  /**
   * A request on a connection the stopping server closed can be left waiting by the JDK's client
   * (seen once in CI: a client blocked past the stop). Unanswered, it was not acknowledged, which
   * is all this test cares about: only 201s must survive.
   */
  private static final Duration UNANSWERED = Duration.ofSeconds(10);

  @Test
  void everyAcknowledgedRequestSurvivesAStopUnderLoad() throws Exception {
    RunningKiln kiln = RunningKiln.start();
    Path dataDir = kiln.dataDir();
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    CountDownLatch someAcknowledged = new CountDownLatch(20);
    List<Future<?>> sent = new ArrayList<>();
    for (int client = 0; client < 8; client++) {
      int id = client;
      sent.add(
          clients.submit(
              () -> {
                for (int request = 0; request < 200; request++) {
                  String externalId = "client-" + id + "-request-" + request;
                  try {
                    int status =
                        kiln.send(
                                HttpRequest.newBuilder(kiln.uri("/users/track"))
                                    .header("Authorization", "Bearer " + kiln.key())
                                    .timeout(UNANSWERED)
                                    .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                            "{\"attributes\":[{\"external_id\":\""
                                                + externalId
                                                + "\",\"n\":"
                                                + request
                                                + "}]}")))
                            .status();
                    answers.put(externalId, status);
                    if (status == 201) {
                      someAcknowledged.countDown();
                    }
                  } catch (UncheckedIOException refusedOrUnanswered) {
                    return; // the server stopped accepting, or cut the connection: this client is
                    // done
                  }
                }
              }));
    }
    assertThat(someAcknowledged.await(30, TimeUnit.SECONDS)).isTrue();
    kiln.close(); // graceful: stop accepting, finish in-flight requests, commit, close
    for (Future<?> client : sent) {
      client.get(30, TimeUnit.SECONDS);
    }
    clients.shutdown();

    try (RunningKiln restarted = RunningKiln.startOn(dataDir, Map.of())) {
      List<String> acknowledged =
          answers.entrySet().stream()
              .filter(answer -> answer.getValue() == 201)
              .map(Map.Entry::getKey)
              .toList();
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(20);
      for (int from = 0; from < acknowledged.size(); from += 50) {
        List<String> ids = acknowledged.subList(from, Math.min(acknowledged.size(), from + 50));
        JsonNode export =
            restarted
                .post(
                    "/users/export/ids",
                    "{\"external_ids\":"
                        + Json.MAPPER.writeValueAsString(ids)
                        + ",\"fields_to_export\":[\"external_id\"]}")
                .json();
        assertThat(export.has("invalid_user_ids"))
            .as("acknowledged users missing: %s", export.get("invalid_user_ids"))
            .isFalse();
        assertThat(export.get("users")).hasSize(ids.size());
      }
      assertThat(answers.values())
          .as("answers while stopping")
          .allMatch(status -> status == 201 || status == 503);
    }
  }
}
