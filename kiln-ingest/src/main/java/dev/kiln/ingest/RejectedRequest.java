package dev.kiln.ingest;

/** The whole request is invalid (a fatal error): nothing is processed. The message is the answer. */
public final class RejectedRequest extends RuntimeException {
  public RejectedRequest(String message) {
    super(message, null, false, false);
  }
}
