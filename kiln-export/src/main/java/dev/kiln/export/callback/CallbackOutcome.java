package dev.kiln.export.callback;

import java.util.Objects;

/**
 * How the delivery of one callback ended.
 *
 * @param result how it ended
 * @param attempts how many requests were sent (a target refused before the first one counts none)
 * @param lastFailure why the last attempt failed, for logs and the export's status; null when
 *     delivered
 */
public record CallbackOutcome(Result result, int attempts, String lastFailure) {

  public CallbackOutcome {
    Objects.requireNonNull(result, "result == null");
    if ((result == Result.DELIVERED) != (lastFailure == null)) {
      throw new IllegalArgumentException(
          "lastFailure must be given exactly when the callback was not delivered");
    }
  }

  public boolean delivered() {
    return result == Result.DELIVERED;
  }

  public enum Result {
    /** The endpoint answered 2xx. */
    DELIVERED,
    /** The endpoint answered with a status that retrying will not change: a redirect or a 4xx. */
    REJECTED,
    /** The target's host does not resolve, or resolves to an address the policy does not allow. */
    REFUSED,
    /** Every attempt failed in a way worth retrying, until the deadline. */
    DEADLINE_PASSED,
    /**
     * The thread was interrupted (the node is stopping). The callback was not delivered as far as
     * Kiln knows, and should be sent again after the restart.
     */
    INTERRUPTED
  }
}
