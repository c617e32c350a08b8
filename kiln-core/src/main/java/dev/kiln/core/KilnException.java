package dev.kiln.core;

import java.util.Objects;

/**
 * The one exception type Kiln throws on purpose. Its message is safe to show to the caller: it
 * never carries a library's or database's own text (that goes into the cause, which is only
 * logged).
 */
public class KilnException extends RuntimeException {
  private final ErrorCode code;

  public KilnException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public KilnException(ErrorCode code, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message == null"), cause);
    this.code = Objects.requireNonNull(code, "code == null");
  }

  /**
   * For refusals that are control flow, not failures (a decoder refusing a request): without a
   * stack trace, which would cost more than the refusal itself and never be read.
   */
  protected KilnException(ErrorCode code, String message, boolean writableStackTrace) {
    super(Objects.requireNonNull(message, "message == null"), null, false, writableStackTrace);
    this.code = Objects.requireNonNull(code, "code == null");
  }

  public ErrorCode code() {
    return code;
  }
}
