package dev.kiln.export.callback;

/**
 * A callback target the private-network policy does not allow, or whose host does not resolve. The
 * message names the host and the rule, and is fit for an export's status and the server log.
 */
public final class RefusedTarget extends Exception {
  RefusedTarget(String message) {
    super(message);
  }

  RefusedTarget(String message, Throwable cause) {
    super(message, cause);
  }
}
