package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.fail;

import dev.kiln.core.storage.ProfileStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Several storages over one database, as several Kiln nodes are, and work run on them from many
 * threads released at the same instant. The first node is the suite's own storage; the others are
 * opened with {@link ITStorage#reopen()} and closed by {@link #close()}.
 */
final class Nodes<T extends ProfileStorage> implements AutoCloseable {
  /**
   * Long enough for any healthy run; a deadlock or a lost wake-up fails instead of hanging the
   * build.
   */
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final List<T> nodes = new ArrayList<>();

  private Nodes(T first) {
    nodes.add(first);
  }

  static <T extends ProfileStorage> Nodes<T> open(T storage, Supplier<T> reopen, int count) {
    Nodes<T> opened = new Nodes<>(storage);
    try {
      while (opened.nodes.size() < count) {
        opened.nodes.add(reopen.get());
      }
    } catch (RuntimeException | Error e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  @FunctionalInterface
  interface Work<T, R> {
    R run(T node, int thread) throws Exception;
  }

  /**
   * Runs {@code work} on {@code threads} threads at once, thread {@code t} on node {@code t %
   * nodes}; the results in thread order. Fails with the first thread's failure, or when they do not
   * all end within {@link #TIMEOUT}.
   */
  <R> List<R> runTogether(int threads, Work<T, R> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    try {
      List<Future<R>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        T node = nodes.get(t % nodes.size());
        running.add(
            pool.submit(
                () -> {
                  start.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                  return work.run(node, thread);
                }));
      }
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      List<R> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        try {
          results.add(
              running.get(t).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
          throw new AssertionError(
              "thread " + t + " (node " + t % nodes.size() + ") failed: " + e.getCause(),
              e.getCause());
        } catch (TimeoutException e) {
          fail(
              "thread %d (node %d) did not finish within %s: deadlocked or stuck",
              t, t % nodes.size(), TIMEOUT);
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public void close() {
    for (T node : nodes.subList(1, nodes.size())) {
      node.close();
    }
  }
}
