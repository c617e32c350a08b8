package dev.kiln.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets another thread stop an evaluation its caller no longer waits for (an HTTP client that went
 * away), so the database stops working on it at once instead of at its timeout.
 */
public final class Cancellation {
  private final List<Runnable> listeners = new ArrayList<>();
  private boolean cancelled;

  /** An evaluation nobody cancels (an export's pages, a test). */
  public static Cancellation never() {
    return new Cancellation();
  }

  /** Runs every listener registered and still registered; later registrations run at once. */
  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = List.copyOf(listeners);
      listeners.clear();
    }
    toRun.forEach(Runnable::run);
  }

  /** Runs {@code listener} on cancellation until the returned registration is closed. */
  public Registration onCancel(Runnable listener) {
    synchronized (this) {
      if (!cancelled) {
        listeners.add(listener);
        return () -> {
          synchronized (this) {
            listeners.remove(listener);
          }
        };
      }
    }
    listener.run();
    return () -> {};
  }

  /** A listener's registration; closing it stops the listener from being run. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
