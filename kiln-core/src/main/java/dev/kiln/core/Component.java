package dev.kiln.core;

/**
 * A pluggable part with a health check and a lifecycle. Building a component does no I/O, so an
 * unreachable database does not stop the server from starting and reporting why it is unhealthy.
 */
public interface Component extends AutoCloseable {

  /** Answers whether the component can do its work now. Safe to call often and concurrently. */
  CheckResult check();

  /**
   * Finishes accepted work and releases resources. Calling it twice does nothing the second time.
   */
  @Override
  void close();
}
