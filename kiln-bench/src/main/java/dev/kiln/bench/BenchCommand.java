package dev.kiln.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.core.auth.ApiKeySecrets;
import java.io.IOException;
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
@Command(
    name = "kiln-bench",
    mixinStandardHelpOptions = true,
    description =
        "Measures Kiln: /users/track ingest (with its parse-only ceiling), /users/export/ids latency, "
            + "segment size and segment export, on SQLite and PostgreSQL.")
public final class BenchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(
      names = "--scenarios",
      split = ",",
      defaultValue = "ingest,export-ids,segment-size,segment-export",
      description =
          "Scenarios to run: ingest, export-ids, segment-size, segment-export (default: all).")
  List<String> scenarios;

  @Option(
      names = "--duration",
      defaultValue = "20",
      description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "Warm-up seconds per run, not counted (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--connections",
      defaultValue = "16",
      description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--users",
      defaultValue = "100000",
      description = "Population size (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--segment-users",
      defaultValue = "1000000",
      description =
          "Population of the segment-size and segment-export scenarios (default: ${DEFAULT-VALUE}).")
  int segmentUsers;

  @Option(
      names = "--shape",
      defaultValue = "75,75,75",
      split = ",",
      description =
          "Attributes, events and purchases per /users/track request (default: ${DEFAULT-VALUE}).")
  List<Integer> shape;

  @Option(
      names = "--bodies",
      defaultValue = "200",
      description = "Distinct request bodies to cycle through (default: ${DEFAULT-VALUE}).")
  int bodies;

  @Option(
      names = "--load",
      defaultValue = "direct",
      description =
          "How populations are loaded: direct (into the store) or http (through /users/track) (default: ${DEFAULT-VALUE}).")
  String load;

  @Option(
      names = "--backends",
      split = ",",
      defaultValue = "sqlite,postgres",
      description =
          "Backends the stored scenarios run on: sqlite, postgres, citus (default: ${DEFAULT-VALUE}).")
  List<String> backendNames;

  @Option(
      names = "--citus-url",
      description =
          "For --backends citus: JDBC URL (jdbc:postgresql://host:port/db?user=...) of a Citus coordinator, as a "
              + "superuser, in a database where the workers are registered (build-bin/citus/start-cluster.sh makes one); "
              + "each scenario gets a database of its own on every node.")
  String citusUrl;

  @Option(
      names = "--postgres-url",
      description =
          "JDBC URL (jdbc:postgresql://host:port/db?user=...&password=...) of a PostgreSQL user who may "
              + "CREATE DATABASE; without it, kiln-bench starts an embedded PostgreSQL (fsync and synchronous_commit on, "
              + "shared_buffers=1GB, max_connections=200).")
  String postgresUrl;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Workload seed (default: ${DEFAULT-VALUE}).")
  long seed;

  // Named by its negative form: for a negatable option that is true by default, picocli takes the
  // positive name to mean false, so only this way round does --no-jfr turn profiling off.
  @Option(
      names = "--no-jfr",
      defaultValue = "true",
      negatable = true,
      description =
          "Profile the stored ingest runs with Java Flight Recorder (default: ${DEFAULT-VALUE}).")
  boolean jfr;

  @Option(
      names = "--output",
      defaultValue = "bench-results.json",
      description = "Where to write the JSON results.")
  Path output;

  @Option(
      names = "--summarize-jfr",
      description = "Print the summary of an existing JFR recording and exit.")
  Path recordingToSummarize;

  @Option(
      names = "--work-dir",
      description = "Folder for the stores and recordings (default: a new temporary folder).")
  Path workDir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!load.equals("direct") && !load.equals("http")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--load takes direct or http");
    }
    if (!List.of("sqlite", "postgres", "citus").containsAll(backendNames)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--backends takes sqlite, postgres, citus, or several of them");
    }
    if (backendNames.contains("citus")
        && (citusUrl == null || !citusUrl.startsWith("jdbc:postgresql://"))) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--backends citus needs --citus-url: jdbc:postgresql://host:port/db?user=...");
    }
    if (postgresUrl != null && !postgresUrl.startsWith("jdbc:postgresql://")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--postgres-url takes a JDBC URL: jdbc:postgresql://host:port/db?...");
    }
    if (recordingToSummarize != null) {
      System.out.println(JSON.writeValueAsString(JfrSummary.summarize(recordingToSummarize, 25)));
      return 0;
    }
    Path work =
        workDir != null
            ? Files.createDirectories(workDir)
            : Files.createTempDirectory("kiln-bench");
    try (PostgresBackend postgres =
        backendNames.contains("postgres") ? startPostgres(work) : null) {
      List<Backend> backends =
          backendNames.stream()
              .distinct()
              .<Backend>map(
                  name ->
                      switch (name) {
                        case "sqlite" -> new SqliteBackend();
                        case "citus" -> new CitusBackend(citusUrl);
                        default -> postgres;
                      })
              .toList();
      List<Report.Row> rows = new ArrayList<>();
      Map<String, Object> results = runScenarios(backends, work, rows);
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("date", Instant.now().toString());
      report.put("machine", Machine.describe());
      if (postgres != null) {
        PostgresBackend.ServerInfo server = postgres.describe();
        report.put("postgres", server);
        System.out.println(server.line());
      }
      if (citusUrl != null && backendNames.contains("citus")) {
        String cluster = new CitusBackend(citusUrl).describe();
        report.put("citus", cluster);
        System.out.println("Citus (the operator's cluster, from --citus-url): " + cluster);
      }
      report.put(
          "settings",
          Map.of(
              "duration_seconds",
              durationSeconds,
              "warmup_seconds",
              warmupSeconds,
              "connections",
              connections,
              "users",
              users,
              "segment_users",
              segmentUsers,
              "shape",
              shape,
              "bodies",
              bodies,
              "seed",
              seed,
              "backends",
              backendNames.stream().distinct().toList()));
      report.put("scenarios", results);
      JSON.writeValue(output.toFile(), report);
      Report.print(rows, System.out);
      System.out.println("Results written to " + output.toAbsolutePath());
    }
    return 0;
  }

  /**
   * The chosen scenarios, each stored one on every backend. Results of a backend other than SQLite
   * sit beside SQLite's under the same key with the backend's suffix ({@code
   * segment_size_postgres}).
   */
  private Map<String, Object> runScenarios(List<Backend> backends, Path work, List<Report.Row> rows)
      throws Exception {
    Workload workload = new Workload(users, seed, Instant.now());
    LoadRunner.Settings settings =
        new LoadRunner.Settings(
            connections, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds));
    Map<String, Object> results = new LinkedHashMap<>();
    if (scenarios.contains("ingest")) {
      results.put(
          "ingest",
          new IngestScenario(workload, requestShape(), bodies, settings, jfr)
              .run(backends, work, rows));
    }
    if (scenarios.contains("export-ids")) {
      ExportIdsScenario exportIds = new ExportIdsScenario(workload, settings, load.equals("http"));
      for (Backend backend : backends) {
        results.put(backend.key("export_ids"), exportIds.run(backend, work, rows));
      }
    }
    Workload segmentWorkload = new Workload(segmentUsers, seed, Instant.now());
    List<SegmentPopulation> populations =
        backends.stream()
            .map(backend -> new SegmentPopulation(segmentWorkload, backend, work))
            .toList();
    if (scenarios.contains("segment-size")) {
      for (SegmentPopulation population : populations) {
        results.put(
            population.backend().key("segment_size"),
            new SegmentSizeScenario(population).run(rows));
      }
    }
    if (scenarios.contains("segment-export")) {
      for (SegmentPopulation population : populations) {
        results.put(
            population.backend().key("segment_export"),
            new SegmentExportScenario(population).run(rows));
      }
    }
    return results;
  }

  private PostgresBackend startPostgres(Path work) throws IOException {
    return postgresUrl != null
        ? PostgresBackend.onServer(postgresUrl)
        : PostgresBackend.startEmbedded(work);
  }

  private Workload.RequestShape requestShape() {
    if (shape.size() != 3) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--shape takes three numbers: attributes,events,purchases");
    }
    return new Workload.RequestShape(shape.get(0), shape.get(1), shape.get(2));
  }

  /** A fresh random secret per run: the bench never uses a well-known key. */
  static String newApiKey() {
    return ApiKeySecrets.generate();
  }
}
