package dev.kiln.server.http;

import dev.kiln.core.auth.Permission;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;

/** A Braze-style API endpoint: every one of them requires a key with its permission. */
public record ApiRoute(HandlerType method, String path, Permission permission, Handler handler) {
  public ApiRoute {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(permission, "permission == null");
    Objects.requireNonNull(handler, "handler == null");
  }

  public static ApiRoute post(String path, Permission permission, Handler handler) {
    return new ApiRoute(HandlerType.POST, path, permission, handler);
  }

  public static ApiRoute get(String path, Permission permission, Handler handler) {
    return new ApiRoute(HandlerType.GET, path, permission, handler);
  }
}
