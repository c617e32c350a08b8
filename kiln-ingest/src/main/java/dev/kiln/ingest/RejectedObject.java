package dev.kiln.ingest;

/**
 * One object of a request is invalid; its message is the {@code type} of Braze's per-object error.
 * Control flow, not a failure: it carries no stack trace.
 */
final class RejectedObject extends RuntimeException {
  RejectedObject(String type) {
    super(type, null, false, false);
  }
}
