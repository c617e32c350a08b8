package dev.kiln.core.profile;

/**
 * Thrown by a {@link ProfileUpdate} whose result Kiln cannot store, such as a number grown beyond a
 * double's range: the change is not applied, and its caller reports the message as the object's
 * error, like any other out-of-range value. A pure update throws before anything is written.
 */
public final class RefusedUpdate extends RuntimeException {
  public RefusedUpdate(String message) {
    super(message, null, false, false); // an expected outcome, not a failure: no stack trace
  }
}
