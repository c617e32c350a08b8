package dev.kiln.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.storage.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln-bench}: runs the scenarios, prints a table and writes the results as JSON. */
@Command(name = "kiln-bench", mixinStandardHelpOptions = true,
    description = "Measures Kiln: /users/track ingest (with its parse-only ceiling), /users/export/ids latency, "
        + "segment size and segment export.")
public final class BenchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--scenarios", split = ",", defaultValue = "ingest,export-ids,segment-size,segment-export",
      description = "Scenarios to run: ingest, export-ids, segment-size, segment-export (default: all).")
  List<String> scenarios;

  @Option(names = "--duration", defaultValue = "20", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(names = "--warmup", defaultValue = "10", description = "Warm-up seconds per run, not counted (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--connections", defaultValue = "16", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--users", defaultValue = "100000", description = "Population size (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--segment-users", defaultValue = "1000000",
      description = "Population of the segment-size and segment-export scenarios (default: ${DEFAULT-VALUE}).")
  int segmentUsers;

  @Option(names = "--shape", defaultValue = "75,75,75", split = ",",
      description = "Attributes, events and purchases per /users/track request (default: ${DEFAULT-VALUE}).")
  List<Integer> shape;

  @Option(names = "--bodies", defaultValue = "200", description = "Distinct request bodies to cycle through (default: ${DEFAULT-VALUE}).")
  int bodies;

  @Option(names = "--load", defaultValue = "direct",
      description = "How populations are loaded: direct (into the store) or http (through /users/track) (default: ${DEFAULT-VALUE}).")
  String load;

  @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--jfr", defaultValue = "true", negatable = true,
      description = "Profile the stored ingest run with Java Flight Recorder (default: ${DEFAULT-VALUE}).")
  boolean jfr;

  @Option(names = "--output", defaultValue = "bench-results.json", description = "Where to write the JSON results.")
  Path output;

  @Option(names = "--summarize-jfr", description = "Print the summary of an existing JFR recording and exit.")
  Path recordingToSummarize;

  @Option(names = "--work-dir", description = "Folder for the stores and recordings (default: a new temporary folder).")
  Path workDir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!load.equals("direct") && !load.equals("http")) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--load takes direct or http");
    }
    if (recordingToSummarize != null) {
      System.out.println(JSON.writeValueAsString(JfrSummary.summarize(recordingToSummarize, 25)));
      return 0;
    }
    Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("kiln-bench");
    Workload workload = new Workload(users, seed, Instant.now());
    LoadRunner.Settings settings =
        new LoadRunner.Settings(connections, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds));
    Map<String, Object> results = new LinkedHashMap<>();
    List<Report.Row> rows = new ArrayList<>();
    if (scenarios.contains("ingest")) {
      results.put("ingest", new IngestScenario(workload, requestShape(), bodies, settings, jfr).run(work, rows));
    }
    if (scenarios.contains("export-ids")) {
      results.put("export_ids", new ExportIdsScenario(workload, settings, load.equals("http")).run(work, rows));
    }
    SegmentPopulation population = new SegmentPopulation(new Workload(segmentUsers, seed, Instant.now()), work);
    if (scenarios.contains("segment-size")) {
      results.put("segment_size", new SegmentSizeScenario(population).run(rows));
    }
    if (scenarios.contains("segment-export")) {
      results.put("segment_export", new SegmentExportScenario(population).run(rows));
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("machine", Machine.describe());
    report.put("settings", Map.of("duration_seconds", durationSeconds, "warmup_seconds", warmupSeconds,
        "connections", connections, "users", users, "segment_users", segmentUsers, "shape", shape, "bodies", bodies, "seed", seed));
    report.put("scenarios", results);
    JSON.writeValue(output.toFile(), report);
    Report.print(rows, System.out);
    System.out.println("Results written to " + output.toAbsolutePath());
    return 0;
  }

  private Workload.RequestShape requestShape() {
    if (shape.size() != 3) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--shape takes three numbers: attributes,events,purchases");
    }
    return new Workload.RequestShape(shape.get(0), shape.get(1), shape.get(2));
  }

  /** A fresh random secret per run: the bench never uses a well-known key. */
  static String newApiKey() {
    return ApiKeySecrets.generate();
  }

  static SqliteStorage openStore(Path dataDir) {
    SqliteStorage storage = SqliteStorage.newBuilder(dataDir).build();
    storage.migrate();
    return storage;
  }
}
