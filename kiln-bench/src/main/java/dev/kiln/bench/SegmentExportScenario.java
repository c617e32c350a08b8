package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * POST /users/export/segment of every user of the population, gzip, all fields, on Kiln's own
 * storage: the time from the request until the status says succeeded, and the server's peak heap,
 * sampled from /metrics while it runs. The server gets a 512 MiB heap, the bound of the export
 * target in docs/targets.md.
 */
final class SegmentExportScenario {
  private static final String HEAP_LIMIT = "-Xmx512m";
  private static final Pattern HEAP_USED =
      Pattern.compile(
          "^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} ([0-9.eE+]+)$", Pattern.MULTILINE);
  private static final long POLL_MILLIS =
      250; // often enough for the time, rarely enough to cost the server little

  private final SegmentPopulation population;

  SegmentExportScenario(SegmentPopulation population) {
    this.population = population;
  }

  Map<String, Object> run(List<Report.Row> rows) throws Exception {
    Store store = population.store();
    String apiKey = BenchCommand.newApiKey();
    Map<String, Object> result = new LinkedHashMap<>();
    try (ServerProcess server = ServerProcess.start("store", store, apiKey, List.of(HEAP_LIMIT))) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();
      JsonNode segment =
          SegmentSizeScenario.send(
              http,
              HttpRequest.newBuilder(URI.create(base + "/segments/create"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\"bench export\",\"filter\":{\"and\":[]}}")),
              apiKey,
              201);
      long cpuBefore = server.cpuTime().toNanos();
      long started = System.nanoTime();
      JsonNode export =
          SegmentSizeScenario.send(
              http,
              HttpRequest.newBuilder(URI.create(base + "/users/export/segment"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"segment_id\":\""
                              + segment.get("segment_id").asText()
                              + "\",\"output_format\":\"gzip\"}")),
              apiKey,
              201);
      String objectPrefix = export.get("object_prefix").asText();
      URI status = URI.create(base + "/users/export/status?object_prefix=" + objectPrefix);
      double peakHeap = 0;
      JsonNode state;
      do {
        Thread.sleep(POLL_MILLIS);
        peakHeap = Math.max(peakHeap, heapUsed(http, base));
        state = SegmentSizeScenario.send(http, HttpRequest.newBuilder(status).GET(), apiKey, 200);
      } while (state.get("state").asText().equals("queued")
          || state.get("state").asText().equals("running"));
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpuCores = (server.cpuTime().toNanos() - cpuBefore) / 1e9 / seconds;
      if (!state.get("state").asText().equals("succeeded")) {
        throw new IOException("the export failed: " + state);
      }
      long users = state.get("users_written").asLong();
      result.put("population", population.users());
      result.put("users_written", users);
      result.put("files_written", state.get("files_written").asInt());
      result.put("format", "gzip");
      result.put("fields", "all");
      result.put("seconds", SegmentSizeScenario.round(seconds));
      result.put("users_per_second", Math.round(users / seconds));
      result.put(
          "bundle_bytes",
          Files.size(
              store.dataDir().resolve("exports").resolve(objectPrefix).resolve("export.zip")));
      result.put("server_heap_limit", HEAP_LIMIT);
      result.put("peak_heap_mib", Math.round(peakHeap / (1 << 20)));
      result.put("server_cpu_cores", SegmentSizeScenario.round(cpuCores));
      rows.add(
          new Report.Row(
              population.backend().rowName("segment export, gzip, all users"),
              new LoadResult(
                  1,
                  0,
                  seconds,
                  1 / seconds,
                  users / seconds,
                  seconds * 1000,
                  seconds * 1000,
                  seconds * 1000,
                  cpuCores,
                  null)));
    }
    return result;
  }

  /** Heap in use now, over all heap pools, from the server's Prometheus metrics. */
  private static double heapUsed(HttpClient http, String base)
      throws IOException, InterruptedException {
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher pool = HEAP_USED.matcher(metrics.body());
    double used = 0;
    while (pool.find()) {
      used += Double.parseDouble(pool.group(1));
    }
    return used;
  }
}
