package dev.kiln.core.storage;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: callers hand in work and wait; one writer thread takes everything that queued up
 * meanwhile and commits it in one transaction, so N concurrent requests cost one fsync instead of
 * N. A caller returns only after the transaction holding its work committed.
 *
 * <p>When a shared transaction fails, each piece of work is retried in a transaction of its own, so
 * one bad request fails alone and never takes its neighbours down with it.
 *
 * @param <T> one caller's work
 * @param <R> what the caller gets back
 */
public final class GroupCommitter<T, R> implements AutoCloseable {

  /** Commits a batch of work in one transaction, all or nothing. */
  @FunctionalInterface
  public interface BatchCommit<T, R> {
    /** Returns one result per item, in order. Throws if nothing was committed. */
    List<R> commit(List<T> batch) throws Exception;
  }

  private final BatchCommit<T, R> batchCommit;
  private final int maxBatchSize;
  private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final Object lifecycle = new Object();
  private volatile boolean closed;

  public GroupCommitter(String name, BatchCommit<T, R> batchCommit, int maxBatchSize) {
    this.batchCommit = Objects.requireNonNull(batchCommit, "batchCommit == null");
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize < 1");
    }
    this.maxBatchSize = maxBatchSize;
    this.writer = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    this.writer.start();
  }

  /** Queues the work and waits until the transaction that carried it committed. */
  public R submit(T work) {
    Pending<T, R> pending = new Pending<>(work, new CompletableFuture<>());
    synchronized (lifecycle) {
      if (closed) {
        throw new KilnException(ErrorCode.UNAVAILABLE, "Kiln is shutting down");
      }
      queue.add(pending);
    }
    return await(pending.result());
  }

  /** Stops taking work, commits everything already queued, then returns. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      closed = true;
    }
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: close() promises the queue is committed when it returns
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Pending<T, R>> batch = new ArrayList<>(maxBatchSize);
    while (true) {
      Pending<T, R> first = takeNext();
      if (first == null) {
        return; // closed and drained
      }
      batch.add(first);
      queue.drainTo(batch, maxBatchSize - 1);
      commitBatch(batch);
      batch.clear();
    }
  }

  private Pending<T, R> takeNext() {
    while (true) {
      try {
        Pending<T, R> next = queue.poll(100, TimeUnit.MILLISECONDS);
        if (next != null) {
          return next;
        }
        if (closed && queue.isEmpty()) {
          return null;
        }
      } catch (InterruptedException e) {
        // The writer thread is only stopped through close(), which lets it drain the queue.
      }
    }
  }

  private void commitBatch(List<Pending<T, R>> batch) {
    List<R> results;
    try {
      results = batchCommit.commit(batch.stream().map(Pending::work).toList());
    } catch (Exception | Error sharedFailure) {
      retryAlone(batch, sharedFailure);
      return;
    }
    if (results.size() != batch.size()) {
      // Committed, but the results cannot be matched to callers: a bug, and never a reason to retry
      // work that is already stored.
      IllegalStateException bug =
          new IllegalStateException(
              "commit returned " + results.size() + " results for " + batch.size() + " items");
      batch.forEach(pending -> pending.result().completeExceptionally(bug));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(results.get(i));
    }
  }

  /** Nothing of the batch was committed: each item gets a transaction of its own. */
  private void retryAlone(List<Pending<T, R>> batch, Throwable sharedFailure) {
    if (batch.size() == 1) {
      batch.getFirst().result().completeExceptionally(sharedFailure);
      return;
    }
    for (Pending<T, R> alone : batch) {
      commitBatch(List.of(alone));
    }
  }

  private static <R> R await(CompletableFuture<R> result) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          // The work is already queued and will be committed; the caller must learn the outcome.
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      throw asKilnException(e.getCause());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static RuntimeException asKilnException(Throwable failure) {
    if (failure instanceof KilnException kiln) {
      return kiln;
    }
    // A backend reports its own failures as KilnExceptions; anything else is a bug.
    return new KilnException(ErrorCode.INTERNAL, "the request could not be committed", failure);
  }

  private record Pending<T, R>(T work, CompletableFuture<R> result) {}
}
