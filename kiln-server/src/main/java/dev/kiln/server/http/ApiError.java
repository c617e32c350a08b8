package dev.kiln.server.http;

/**
 * An HTTP error answered with Braze's body shape, {@code {"message": "..."}}. The message is written
 * for the caller and must never carry a library's or database's own text.
 */
public final class ApiError extends RuntimeException {
  private final int status;

  public ApiError(int status, String message) {
    super(message, null, false, false); // control flow, not a bug: no stack trace needed
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  public static ApiError invalidApiKey() {
    return new ApiError(401, "Invalid API Key");
  }

  public static ApiError accessDenied() {
    return new ApiError(403, "Access Denied");
  }
}
