package dev.kiln.server.http;

import dev.kiln.core.auth.Permission;
import dev.kiln.core.ratelimit.RateLimitGroup;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * A Braze-style API endpoint: every one of them requires a key with its permission, and counts
 * against its rate limit.
 */
public record ApiRoute(HandlerType method, String path, Permission permission, Handler handler) {
  public ApiRoute {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(permission, "permission == null");
    Objects.requireNonNull(handler, "handler == null");
  }

  /**
   * The endpoints whose requests share one bucket per key: Braze groups them by the permission they
   * need.
   */
  public RateLimitGroup rateLimitGroup() {
    return RateLimitGroup.of(permission);
  }

  public static ApiRoute post(String path, Permission permission, Handler handler) {
    return new ApiRoute(HandlerType.POST, path, permission, handler);
  }

  public static ApiRoute get(String path, Permission permission, Handler handler) {
    return new ApiRoute(HandlerType.GET, path, permission, handler);
  }
}
