package dev.kiln.bench;

import dev.kiln.core.storage.ProfileStorage;
import java.nio.file.Path;

/**
 * The large population of the segment scenarios (segment size, segment export) on one backend,
 * loaded straight into a store once per run and shared by them.
 */
final class SegmentPopulation {
  private static final int LOADER_THREADS = 4;

  private final Workload workload;
  private final Backend backend;
  private final Path work;
  private Store store;
  private double loadSeconds = -1;

  SegmentPopulation(Workload workload, Backend backend, Path work) {
    this.workload = workload;
    this.backend = backend;
    this.work = work;
  }

  /** The loaded store; loads it on first use. */
  Store store() throws Exception {
    if (store == null) {
      long started = System.nanoTime();
      Store created = backend.create("segments", work);
      try (ProfileStorage storage = created.open()) {
        DirectLoader.load(storage, workload, LOADER_THREADS);
      }
      loadSeconds = (System.nanoTime() - started) / 1e9;
      store = created;
    }
    return store;
  }

  Backend backend() {
    return backend;
  }

  int users() {
    return workload.users();
  }

  /** How long loading took, in seconds. */
  double loadSeconds() {
    return loadSeconds;
  }
}
