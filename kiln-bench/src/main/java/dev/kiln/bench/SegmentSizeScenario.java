package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /segments/size of a three-predicate segment (a standard attribute, a custom attribute and a
 * custom event in a window) over a loaded population, timed one request at a time.
 */
final class SegmentSizeScenario {
  static final String FILTER =
      """
      {"and": [
        {"attribute": "country", "op": "in", "value": ["US", "GB", "FR"]},
        {"custom_attribute": "plan", "op": "equals", "value": "pro"},
        {"custom_event": "watched_trailer", "op": "performed", "in_last_days": 30}
      ]}""";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WARMUP_QUERIES = 2;
  private static final int MEASURED_QUERIES = 5;

  private final SegmentPopulation population;

  SegmentSizeScenario(SegmentPopulation population) {
    this.population = population;
  }

  Map<String, Object> run(List<Report.Row> rows) throws Exception {
    Store store = population.store();
    String apiKey = BenchCommand.newApiKey();
    List<Double> millis = new ArrayList<>();
    long size;
    try (ServerProcess server = ServerProcess.start("store", store, apiKey, List.of("-Xmx1g"))) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();
      JsonNode created =
          send(
              http,
              HttpRequest.newBuilder(URI.create(base + "/segments/create"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\"bench size\",\"filter\":" + FILTER + "}")),
              apiKey,
              201);
      URI sizeUri =
          URI.create(base + "/segments/size?segment_id=" + created.get("segment_id").asText());
      size = -1;
      for (int i = 0; i < WARMUP_QUERIES + MEASURED_QUERIES; i++) {
        long started = System.nanoTime();
        size = send(http, HttpRequest.newBuilder(sizeUri).GET(), apiKey, 200).get("size").asLong();
        if (i >= WARMUP_QUERIES) {
          millis.add((System.nanoTime() - started) / 1e6);
        }
      }
    }
    Collections.sort(millis);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("population", population.users());
    result.put("load_seconds", Math.round(population.loadSeconds() * 10) / 10.0);
    result.put("filter", JSON.readTree(FILTER));
    result.put("size", size);
    result.put("queries", MEASURED_QUERIES);
    result.put("min_ms", round(millis.getFirst()));
    result.put("median_ms", round(millis.get(millis.size() / 2)));
    result.put("max_ms", round(millis.getLast()));
    rows.add(
        new Report.Row(
            population.backend().rowName("segment size, 3 predicates"),
            new LoadResult(
                MEASURED_QUERIES,
                0,
                millis.stream().mapToDouble(m -> m / 1000).sum(),
                MEASURED_QUERIES / millis.stream().mapToDouble(m -> m / 1000).sum(),
                0,
                millis.get(millis.size() / 2),
                millis.getLast(),
                millis.getLast(),
                0,
                null)));
    return result;
  }

  static JsonNode send(HttpClient http, HttpRequest.Builder request, String apiKey, int expected)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IOException("unexpected answer " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  static double round(double millis) {
    return Math.round(millis * 10) / 10.0;
  }
}
