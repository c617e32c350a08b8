package dev.kiln.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /users/track with full bodies on the embedded store, and the same server path without storage
 * (the ceiling). The stored figure is reported as a ratio to the ceiling, which is stable across
 * machines where absolute figures are not.
 */
final class IngestScenario {
  private static final List<String> SERVER_JVM = List.of("-Xmx1g");

  private final Workload workload;
  private final Workload.RequestShape shape;
  private final int bodyCount;
  private final LoadRunner.Settings settings;
  private final boolean profile;

  IngestScenario(Workload workload, Workload.RequestShape shape, int bodyCount, LoadRunner.Settings settings, boolean profile) {
    this.workload = workload;
    this.shape = shape;
    this.bodyCount = bodyCount;
    this.settings = settings;
    this.profile = profile;
  }

  Map<String, Object> run(Path work, List<Report.Row> rows) throws Exception {
    List<String> bodies = workload.trackBodies(bodyCount, shape);
    LoadResult ceiling = measure("parse-only", Files.createDirectories(work.resolve("ingest-ceiling")), bodies, List.of());
    rows.add(new Report.Row("track ceiling (parse-only)", ceiling));

    Path storeDir = Files.createDirectories(work.resolve("ingest-store"));
    Path recording = storeDir.resolve("ingest.jfr");
    List<String> jfrOptions = profile
        ? List.of("-XX:StartFlightRecording=filename=" + recording + ",settings=profile")
        : List.of();
    LoadResult stored = measure("store", storeDir, bodies, jfrOptions);
    rows.add(new Report.Row("track stored (SQLite)", stored));

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("shape", Map.of("attributes", shape.attributes(), "events", shape.events(), "purchases", shape.purchases()));
    result.put("ceiling", ceiling);
    result.put("stored", stored);
    result.put("ratio_to_ceiling", Math.round(1000 * stored.requestsPerSecond() / ceiling.requestsPerSecond()) / 1000.0);
    if (profile && Files.exists(recording)) {
      result.put("profile", JfrSummary.summarize(recording, 15));
      result.put("profile_recording", recording.toString());
    }
    return result;
  }

  private LoadResult measure(String mode, Path dataDir, List<String> bodies, List<String> extraJvm) throws Exception {
    String apiKey = BenchCommand.newApiKey();
    List<String> jvm = new ArrayList<>(SERVER_JVM);
    jvm.addAll(extraJvm);
    try (ServerProcess server = ServerProcess.start(mode, dataDir, apiKey, jvm)) {
      return new LoadRunner().run(server, "/users/track", apiKey, bodies, 201, shape.objects(), settings);
    }
  }
}
