package dev.kiln.export.callback;

import java.net.UnknownHostException;

/**
 * A callback target the private-network policy does not allow, or whose host does not resolve. The
 * message names the host and the rule, and is fit for an export's status and the server log.
 */
public final class RefusedTarget extends Exception {
  private final boolean lookupFailed;

  RefusedTarget(String message) {
    super(message);
    this.lookupFailed = false;
  }

  /** The host did not resolve: unlike a refused address, a later lookup may succeed. */
  RefusedTarget(String message, UnknownHostException cause) {
    super(message, cause);
    this.lookupFailed = true;
  }

  /** Whether the host did not resolve (as opposed to resolving to an address the policy refuses). */
  public boolean lookupFailed() {
    return lookupFailed;
  }
}
