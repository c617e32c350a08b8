package dev.kiln.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.ingest.TrackDecoder;
import dev.kiln.ingest.TrackLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loads a population straight into a store, without HTTP: each user is created by an attributes
 * object with one event and one purchase, decoded and applied by the same code /users/track runs.
 * Several threads submit at once so the group commit batches them, as it would under load.
 */
final class DirectLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int USERS_PER_REQUEST = 75;

  private DirectLoader() {}

  static void load(ProfileStorage storage, Workload workload, int threads) throws Exception {
    TrackDecoder decoder = new TrackDecoder(TrackLimits.DEFAULTS);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int slice = 0; slice < threads; slice++) {
        int first = slice;
        done.add(pool.submit(() -> loadSlice(storage, workload, decoder, first, threads)));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Requests first, first + threads, ...: slices interleave so every thread has work to the end.
   */
  private static void loadSlice(
      ProfileStorage storage, Workload workload, TrackDecoder decoder, int first, int threads) {
    SplittableRandom random = new SplittableRandom(first);
    int requests = (workload.users() + USERS_PER_REQUEST - 1) / USERS_PER_REQUEST;
    for (int request = first; request < requests; request += threads) {
      int from = request * USERS_PER_REQUEST;
      int to = Math.min(workload.users(), from + USERS_PER_REQUEST);
      try {
        ObjectNode body = (ObjectNode) JSON.readTree(workload.populationBody(random, from, to));
        storage.profileWriter().apply(decoder.decode(body, Clock.systemUTC().instant()).changes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
