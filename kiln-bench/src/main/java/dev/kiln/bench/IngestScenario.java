package dev.kiln.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /users/track with full bodies on each backend, and the same server path without storage (the
 * ceiling, run once: it stores nothing, so no backend changes it). Each stored figure is reported
 * as a ratio to the ceiling, which is stable across machines where absolute figures are not.
 */
final class IngestScenario {
  private static final List<String> SERVER_JVM = List.of("-Xmx1g");

  private final Workload workload;
  private final Workload.RequestShape shape;
  private final int bodyCount;
  private final LoadRunner.Settings settings;
  private final boolean profile;

  IngestScenario(
      Workload workload,
      Workload.RequestShape shape,
      int bodyCount,
      LoadRunner.Settings settings,
      boolean profile) {
    this.workload = workload;
    this.shape = shape;
    this.bodyCount = bodyCount;
    this.settings = settings;
    this.profile = profile;
  }

  Map<String, Object> run(List<Backend> backends, Path work, List<Report.Row> rows)
      throws Exception {
    List<String> bodies = workload.trackBodies(bodyCount, shape);
    // The ceiling's store only holds its API key: SQLite's needs no server of its own.
    LoadResult ceiling =
        measure(
            "parse-only", new SqliteBackend().create("ingest-ceiling", work), bodies, List.of());
    rows.add(new Report.Row("track ceiling (parse-only)", ceiling));

    Map<String, Object> result = new LinkedHashMap<>();
    result.put(
        "shape",
        Map.of(
            "attributes",
            shape.attributes(),
            "events",
            shape.events(),
            "purchases",
            shape.purchases()));
    result.put("ceiling", ceiling);
    for (Backend backend : backends) {
      Store store = backend.create("ingest", work);
      Path recording = store.dataDir().resolve("ingest.jfr");
      List<String> jfrOptions =
          profile
              ? List.of("-XX:StartFlightRecording=filename=" + recording + ",settings=profile")
              : List.of();
      LoadResult stored = measure("store", store, bodies, jfrOptions);
      rows.add(new Report.Row(backend.rowName("track stored"), stored));
      result.put(backend.key("stored"), stored);
      result.put(
          backend.key("ratio_to_ceiling"),
          Math.round(1000 * stored.requestsPerSecond() / ceiling.requestsPerSecond()) / 1000.0);
      if (profile && Files.exists(recording)) {
        result.put(backend.key("profile"), JfrSummary.summarize(recording, 15));
        result.put(backend.key("profile_recording"), recording.toString());
      }
    }
    return result;
  }

  private LoadResult measure(String mode, Store store, List<String> bodies, List<String> extraJvm)
      throws Exception {
    String apiKey = BenchCommand.newApiKey();
    List<String> jvm = new ArrayList<>(SERVER_JVM);
    jvm.addAll(extraJvm);
    try (ServerProcess server = ServerProcess.start(mode, store, apiKey, jvm)) {
      return new LoadRunner()
          .run(server, "/users/track", apiKey, bodies, 201, shape.objects(), settings);
    }
  }
}
