package dev.kiln.bench;

import dev.kiln.core.storage.ProfileStorage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /users/export/ids of 50 users at a time over a loaded population, twice: one client alone (the
 * latency an integration sees, where the target of docs/targets.md is a p99 under 10 ms) and the
 * full set of clients (the throughput, where latency is mostly queueing).
 */
final class ExportIdsScenario {
  private static final int IDS_PER_REQUEST = 50;
  private static final int LOADER_THREADS = 4;

  private final Workload workload;
  private final LoadRunner.Settings settings;
  private final boolean loadOverHttp;

  /**
   * @param loadOverHttp load the population through /users/track instead of straight into the store
   */
  ExportIdsScenario(Workload workload, LoadRunner.Settings settings, boolean loadOverHttp) {
    this.workload = workload;
    this.settings = settings;
    this.loadOverHttp = loadOverHttp;
  }

  Map<String, Object> run(Backend backend, Path work, List<Report.Row> rows) throws Exception {
    Store store = backend.create("export-ids", work);
    long loadStarted = System.nanoTime();
    if (!loadOverHttp) {
      try (ProfileStorage storage = store.open()) {
        DirectLoader.load(storage, workload, LOADER_THREADS);
      }
    }
    String apiKey = BenchCommand.newApiKey();
    List<String> bodies = workload.exportBodies(500, IDS_PER_REQUEST);
    LoadResult alone;
    LoadResult loaded;
    double loadSeconds;
    try (ServerProcess server = ServerProcess.start("store", store, apiKey, List.of("-Xmx1g"))) {
      if (loadOverHttp) {
        HttpLoader.load(server, apiKey, workload, LOADER_THREADS);
      }
      loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
      LoadRunner runner = new LoadRunner();
      LoadRunner.Settings oneClient =
          new LoadRunner.Settings(1, settings.warmup(), settings.duration());
      alone =
          runner.run(server, "/users/export/ids", apiKey, bodies, 200, IDS_PER_REQUEST, oneClient);
      loaded =
          runner.run(server, "/users/export/ids", apiKey, bodies, 200, IDS_PER_REQUEST, settings);
    }
    rows.add(new Report.Row(backend.rowName("export/ids 50 users, 1 client"), alone));
    rows.add(
        new Report.Row(
            backend.rowName("export/ids 50 users, " + settings.connections() + " clients"),
            loaded));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("population", workload.users());
    summary.put("loaded_through", loadOverHttp ? "http" : "direct");
    summary.put("load_seconds", Math.round(loadSeconds * 10) / 10.0);
    summary.put("load_users_per_second", Math.round(workload.users() / loadSeconds));
    summary.put("one_client", alone);
    summary.put("all_clients", loaded);
    return summary;
  }
}
