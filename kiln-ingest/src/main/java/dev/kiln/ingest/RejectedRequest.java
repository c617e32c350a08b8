package dev.kiln.ingest;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;

/**
 * The whole request is invalid (a fatal error): nothing is processed. The message is the answer, an
 * {@code INVALID_INPUT} like any other, so the server words it where it words every KilnException.
 */
public final class RejectedRequest extends KilnException {
  public RejectedRequest(String message) {
    super(ErrorCode.INVALID_INPUT, message, false);
  }
}
