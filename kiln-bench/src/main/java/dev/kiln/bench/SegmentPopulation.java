package dev.kiln.bench;

import dev.kiln.storage.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The large population of the segment scenarios (segment size, segment export), loaded straight into
 * a store once per run and shared by them.
 */
final class SegmentPopulation {
  private static final int LOADER_THREADS = 4;

  private final Workload workload;
  private final Path dataDir;
  private double loadSeconds = -1;

  SegmentPopulation(Workload workload, Path work) {
    this.workload = workload;
    this.dataDir = work.resolve("segments");
  }

  /** The folder of the loaded store; loads it on first use. */
  Path dataDir() throws Exception {
    if (loadSeconds < 0) {
      Files.createDirectories(dataDir);
      long started = System.nanoTime();
      try (SqliteStorage storage = BenchCommand.openStore(dataDir)) {
        DirectLoader.load(storage, workload, LOADER_THREADS);
      }
      loadSeconds = (System.nanoTime() - started) / 1e9;
    }
    return dataDir;
  }

  int users() {
    return workload.users();
  }

  /** How long loading took, in seconds. */
  double loadSeconds() {
    return loadSeconds;
  }
}
