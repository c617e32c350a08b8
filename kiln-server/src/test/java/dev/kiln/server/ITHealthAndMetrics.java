package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.net.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /health} (storage reachability) and {@code GET /metrics} (Prometheus text). */
class ITHealthAndMetrics {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  // --- /health ---

  @Test
  void healthIsOkWhileStorageIsReachable() {
    Response response = health(kiln);
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    ErrorBodies.assertJson(response);
    ObjectNode expected = JsonNodeFactory.instance.objectNode();
    expected.putObject("storage").put("status", "ok");
    expected.put("message", "success");
    assertThat(response.json()).isEqualTo(expected);
  }

  @Test
  void healthIs503WithAReasonWhenStorageIsBroken() {
    try (RunningKiln broken = RunningKiln.start()) {
      assertThat(health(broken).status()).isEqualTo(200);
      broken.storage().close();

      Response response = health(broken);
      assertThat(response.status()).as("%s", response).isEqualTo(503);
      ErrorBodies.assertJson(response);
      JsonNode body = response.json();
      assertThat(body.path("message").asText()).isEqualTo("unhealthy");
      assertThat(body.path("storage").path("status").asText()).isEqualTo("unavailable");
      assertThat(body.path("storage").path("reason").asText())
          .as("reason in %s", response)
          .isNotBlank();
      assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  @Test
  void a503AsksTheCallerToComeBackLater() {
    try (RunningKiln broken = RunningKiln.start()) {
      broken.storage().close();
      Response response = broken.post("/users/track", "{\"attributes\":[{\"external_id\":\"u\"}]}");
      assertThat(response.status()).as("%s", response).isEqualTo(503);
      assertThat(response.header("Retry-After")).as("%s", response).isEqualTo("5");
    }
  }

  @Test
  void anApiRequestWhileStorageIsBrokenIs503NotA500() {
    try (RunningKiln broken = RunningKiln.start()) {
      broken.storage().close();
      Response response = broken.post("/users/export/ids", "{\"external_ids\":[\"x\"]}");
      String message = ErrorBodies.assertErrorMessage(response, 503);
      assertThat(message).isNotBlank();
    }
  }

  // --- /metrics ---

  @Test
  void metricsCountRequestsByEndpointMethodAndStatus() {
    assertThat(health(kiln).status()).isEqualTo(200);
    Response metrics = metrics();
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    assertThat(count(metrics.body(), "endpoint=\"/health\",method=\"GET\",status=\"200\""))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void theCountGrowsWithEachRequest() {
    String series = "endpoint=\"/health\",method=\"GET\",status=\"200\"";
    health(kiln);
    double before = count(metrics().body(), series);
    health(kiln);
    health(kiln);
    assertThat(count(metrics().body(), series)).isGreaterThanOrEqualTo(before + 2);
  }

  @Test
  void requestLatencyHasAHistogram() {
    health(kiln);
    assertThat(metrics().body())
        .contains("http_server_requests_seconds_bucket{endpoint=\"/health\",method=\"GET\"");
  }

  @Test
  void metricsIncludeJvmMetrics() {
    assertThat(metrics().body())
        .contains("jvm_memory_used_bytes")
        .contains("jvm_threads_live_threads");
  }

  @Test
  void unmatchedPathsShareOneEndpointTag() {
    String path = "/scanner/probe-" + System.nanoTime();
    Response notFound = kiln.send(HttpRequest.newBuilder(kiln.uri(path)).GET());
    assertThat(notFound.status()).isEqualTo(404);
    String body = metrics().body();
    assertThat(count(body, "endpoint=\"unmatched\",method=\"GET\",status=\"404\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(body).doesNotContain(path);
  }

  @Test
  void rejectedApiRequestsAreCountedUnderTheirRoute() {
    Response rejected =
        kiln.send(
            HttpRequest.newBuilder(kiln.uri("/users/export/ids"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(rejected.status()).as("%s", rejected).isEqualTo(401);
    assertThat(
            count(
                metrics().body(), "endpoint=\"/users/export/ids\",method=\"POST\",status=\"401\""))
        .isGreaterThanOrEqualTo(1);
  }

  private static Response health(RunningKiln server) {
    return server.send(HttpRequest.newBuilder(server.uri("/health")).GET());
  }

  private static Response metrics() {
    return kiln.send(HttpRequest.newBuilder(kiln.uri("/metrics")).GET());
  }

  /**
   * The value of {@code http_server_requests_seconds_count{labels}}; fails when the series is
   * absent.
   */
  private static double count(String scrape, String labels) {
    Pattern line =
        Pattern.compile(
            "(?m)^http_server_requests_seconds_count\\{" + Pattern.quote(labels) + "} (\\S+)$");
    Matcher matcher = line.matcher(scrape);
    assertThat(matcher.find())
        .as(
            "series http_server_requests_seconds_count{%s} in /metrics; the request counts there:%n%s",
            labels,
            scrape
                .lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count"))
                .collect(Collectors.joining("\n")))
        .isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
