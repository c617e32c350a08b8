package dev.kiln.server.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.export.UserExport;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileReader;
import dev.kiln.ingest.ExportIdsRequest;
import dev.kiln.server.http.Json;
import dev.kiln.server.http.JsonBodies;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /users/export/ids} (docs/braze-reference.md section 7): profiles by identifier, in
 * section 9's shape.
 */
public final class ExportIdsEndpoint {
  private final ProfileReader reader;
  private final Clock clock;

  public ExportIdsEndpoint(ProfileReader reader, Clock clock) {
    this.reader = reader;
    this.clock = clock;
  }

  public void handle(Context ctx) {
    Json.respond(ctx, 200, answer(JsonBodies.object(ctx), reader, clock.instant()));
  }

  /**
   * The users the body's ids name, each once, and the ids that name none as they were sent (a
   * device_id always). Package-private for its unit test.
   */
  static Map<String, Object> answer(ObjectNode body, ProfileReader reader, Instant now) {
    ExportIdsRequest request = ExportIdsRequest.decode(body);
    List<Map<String, Object>> users = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ExportIdsRequest.Id id : request.ids()) {
      Optional<UserProfile> user = reader.find(id.lookup());
      if (user.isEmpty()) {
        invalid.add(id.raw());
      } else if (seen.add(user.get().brazeId())) {
        users.add(UserExport.of(user.get(), request.fields(), now));
      }
    }
    ExportIdsRequest.deviceId(body).ifPresent(invalid::add);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("message", "success");
    response.put("users", users);
    if (!invalid.isEmpty()) {
      response.put("invalid_user_ids", invalid);
    }
    return response;
  }
}
