package dev.kiln.server.track;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.storage.ProfileWriter;
import dev.kiln.ingest.ObjectError;
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
 * {@code POST /users/track}: decode and validate synchronously, then apply every valid object in
 * one durable commit before answering 201, so a 2xx always means the data is stored.
 */
public final class TrackEndpoint {
  static final String NO_VALID_DATA =
      "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";

  private final ProfileWriter writer;
  private final TrackDecoder decoder;
  private final Clock clock;

  public TrackEndpoint(ProfileWriter writer, TrackDecoder decoder, Clock clock) {
    this.writer = writer;
    this.decoder = decoder;
    this.clock = clock;
  }

  public void handle(Context ctx) {
    TrackBatch decoded = decode(JsonBodies.object(ctx), decoder, clock);
    TrackBatch batch = decoded.applied(writer.apply(decoded.changes()));
    refuseWithoutValidObjects(batch); // the store refused every object: nothing was stored
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", "success");
    body.putAll(batch.processed());
    if (!batch.errors().isEmpty()) {
      body.put("errors", errorEntries(batch.errors()));
    }
    Json.respond(ctx, 201, body);
  }

  /** Decodes a body; a fatal problem, or a request without one valid object, is a 400. */
  static TrackBatch decode(ObjectNode body, TrackDecoder decoder, Clock clock) {
    TrackBatch batch = decoder.decode(body, clock.instant());
    refuseWithoutValidObjects(batch);
    return batch;
  }

  /** A request without one valid object is a 400 listing each object's error. */
  static void refuseWithoutValidObjects(TrackBatch batch) {
    if (!batch.hasValidObjects()) {
      throw new ApiError(400, NO_VALID_DATA, errorEntries(batch.errors()));
    }
  }

  static List<Map<String, Object>> errorEntries(List<ObjectError> errors) {
    return errors.stream()
        .map(
            error -> {
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("type", error.type());
              entry.put("input_array", error.inputArray());
              entry.put("index", error.index());
              return entry;
            })
        .toList();
  }
}
