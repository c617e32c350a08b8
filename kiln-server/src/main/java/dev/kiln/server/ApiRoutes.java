package dev.kiln.server;

import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.server.http.ApiRoute;
import java.util.List;

/** Every Braze-style API endpoint Kiln serves, each with the permission it requires. */
final class ApiRoutes {
  private ApiRoutes() {}

  static List<ApiRoute> all(ProfileStorage storage) {
    return List.of();
  }
}
