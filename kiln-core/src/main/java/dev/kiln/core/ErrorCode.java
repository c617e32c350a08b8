package dev.kiln.core;

/**
 * Every error Kiln raises on purpose carries one of these codes. Only the server maps codes to HTTP
 * statuses, so the rest of the code base never thinks in HTTP.
 */
public enum ErrorCode {
  /** The caller sent something Kiln will not accept; the message says what and why. */
  INVALID_INPUT(ErrorType.USER_ERROR),
  /** The caller named something that does not exist. */
  NOT_FOUND(ErrorType.USER_ERROR),
  /** The caller asked for something that clashes with existing state (a name already taken). */
  CONFLICT(ErrorType.USER_ERROR),
  /** The store cannot be reached or refused the work; the caller may retry. */
  STORAGE_UNAVAILABLE(ErrorType.EXTERNAL),
  /** Kiln is shutting down or over capacity; the caller may retry elsewhere or later. */
  UNAVAILABLE(ErrorType.CAPACITY),
  /** A bug in Kiln. */
  INTERNAL(ErrorType.INTERNAL);

  private final ErrorType type;

  ErrorCode(ErrorType type) {
    this.type = type;
  }

  public ErrorType type() {
    return type;
  }

  public enum ErrorType {
    USER_ERROR,
    EXTERNAL,
    CAPACITY,
    INTERNAL
  }
}
