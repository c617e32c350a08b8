package dev.kiln.export.callback;

import java.net.UnknownHostException;

/**
 * A callback target the private-network policy does not allow, or whose host does not resolve. The
 * message names the host and no address, as it is answered to the key holder who gave the target;
 * {@link #detail()} adds what the host resolved to, for the server log.
 */
public final class RefusedTarget extends Exception {
  private final boolean lookupFailed;
  private final String detail;

  /**
   * @param detail the message and what the host resolved to, for the log
   */
  RefusedTarget(String message, String detail) {
    super(message);
    this.lookupFailed = false;
    this.detail = detail;
  }

  /** The host did not resolve: unlike a refused address, a later lookup may succeed. */
  RefusedTarget(String message, UnknownHostException cause) {
    super(message, cause);
    this.lookupFailed = true;
    this.detail = message;
  }

  /**
   * Whether the host did not resolve (as opposed to resolving to an address the policy refuses).
   */
  public boolean lookupFailed() {
    return lookupFailed;
  }

  /** The message with the address refused and its registry entry: for the server log only. */
  public String detail() {
    return detail;
  }
}
