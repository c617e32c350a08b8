package dev.kiln.server.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP error answered with Braze's body shape, {@code {"message": "..."}}. The message is
 * written for the caller and must never carry a library's or database's own text.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final List<?> errors;

  public ApiError(int status, String message) {
    this(status, message, null);
  }

  /**
   * An error whose body also lists per-object {@code errors}, as Braze's fatal /users/track answer
   * does.
   */
  public ApiError(int status, String message, List<?> errors) {
    super(message, null, false, false); // control flow, not a bug: no stack trace needed
    this.status = status;
    this.errors = errors;
  }

  public int status() {
    return status;
  }

  /** The response body: {@code {"message": ...}}, plus {@code "errors"} when there are any. */
  public Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", getMessage());
    if (errors != null) {
      body.put("errors", errors);
    }
    return body;
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

  public static ApiError payloadTooLarge(long maxBodyBytes) {
    return new ApiError(
        413, "Payload Too Large: the request body is over the limit of " + maxBodyBytes + " bytes");
  }

  public static ApiError requestTimeout() {
    return new ApiError(
        408, "Request Timeout: the request body stopped arriving, or arrived too slowly");
  }
}
