package dev.kiln.server.track;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.export.UserExport;
import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileReader;
import dev.kiln.core.storage.ProfileWriter;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.ingest.TrackBatch;
import dev.kiln.ingest.TrackDecoder;
import dev.kiln.server.http.ApiError;
import dev.kiln.server.http.Json;
import dev.kiln.server.http.JsonBodies;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /users/track/sync} (docs/braze-reference.md section 2.6): exactly one object, applied
 * before the answer, which shows the user's resulting state for what the object touched.
 */
public final class TrackSyncEndpoint {
  static final String EXACTLY_ONE =
      "Exactly one attributes, event or purchase object must be provided.";

  private final ProfileWriter writer;
  private final ProfileReader reader;
  private final TrackDecoder decoder;
  private final Clock clock;

  public TrackSyncEndpoint(
      ProfileWriter writer, ProfileReader reader, TrackDecoder decoder, Clock clock) {
    this.writer = writer;
    this.reader = reader;
    this.decoder = decoder;
    this.clock = clock;
  }

  public void handle(Context ctx) {
    ObjectNode body = JsonBodies.object(ctx);
    requireExactlyOne(body);
    TrackBatch batch = TrackEndpoint.decode(body, decoder, clock);
    ProfileChange change = batch.changes().getFirst();
    ChangeResult result = writer.apply(List.of(change)).getFirst();
    TrackEndpoint.refuseWithoutValidObjects(batch.applied(List.of(result)));
    List<Map<String, Object>> users =
        ChangeResult.NO_USER.equals(result)
            ? List.of()
            : reader
                .find(change.lookup())
                .map(user -> List.of(entry(change, user)))
                .orElse(List.of());
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("users", users);
    response.put("message", "success");
    Json.respond(ctx, 201, response);
  }

  /** Refuses a body that holds no object or several, before anything is decoded or stored. */
  static void requireExactlyOne(ObjectNode body) {
    if (objectCount(body) != 1) {
      throw ApiError.badRequest(EXACTLY_ONE);
    }
  }

  private static int objectCount(ObjectNode body) {
    int count = 0;
    for (String array : List.of("attributes", "events", "purchases")) {
      count += body.path(array).isArray() ? body.get(array).size() : 0;
    }
    return count;
  }

  private static Map<String, Object> entry(ProfileChange change, UserProfile user) {
    Map<String, Object> entry = new LinkedHashMap<>();
    identifier(change.lookup(), entry);
    if (change.update() instanceof AttributesUpdate attributes) {
      Map<String, Object> sent = new LinkedHashMap<>();
      attributes.custom().keySet().stream()
          .filter(user.customAttributes()::containsKey)
          .forEach(
              name -> sent.put(name, UserExport.exportable(user.customAttributes().get(name))));
      entry.put("custom_attributes", sent);
    }
    for (ActivityRecord record : change.activities()) {
      switch (record) {
        case ActivityRecord.CustomEvent event ->
            entry.put(
                "custom_events",
                List.of(
                    UserExport.activity(
                        "name", event.name(), user.customEvents().get(event.name()))));
        case ActivityRecord.Purchase purchase ->
            entry.put(
                "purchase_events",
                List.of(
                    UserExport.activity(
                        "product_id",
                        purchase.productId(),
                        user.purchases().get(purchase.productId()))));
      }
    }
    return entry;
  }

  private static void identifier(UserLookup lookup, Map<String, Object> entry) {
    switch (lookup) {
      case UserLookup.ExternalId id -> entry.put("external_id", id.value());
      case UserLookup.BrazeId id -> entry.put("braze_id", id.value());
      case UserLookup.Email email -> entry.put("email", email.value());
      case UserLookup.Phone phone -> entry.put("phone", phone.value());
      case UserLookup.Alias alias -> entry.put("user_alias", aliasObject(alias.alias()));
    }
  }

  private static Map<String, Object> aliasObject(UserAlias alias) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("alias_name", alias.aliasName());
    object.put("alias_label", alias.aliasLabel());
    return object;
  }
}
