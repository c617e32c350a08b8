package dev.kiln.server;

import dev.kiln.core.auth.Permission;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.ingest.TrackDecoder;
import dev.kiln.ingest.TrackLimits;
import dev.kiln.server.endpoints.ExportIdsEndpoint;
import dev.kiln.server.endpoints.TrackEndpoint;
import dev.kiln.server.endpoints.TrackSyncEndpoint;
import dev.kiln.server.http.ApiRoute;
import java.time.Clock;
import java.util.List;

/** Every Braze-style API endpoint Kiln serves, each with the permission it requires. */
final class ApiRoutes {
  private ApiRoutes() {}

  static List<ApiRoute> all(ProfileStorage storage) {
    Clock clock = Clock.systemUTC();
    TrackDecoder decoder = new TrackDecoder(TrackLimits.DEFAULTS);
    TrackEndpoint track = new TrackEndpoint(storage.profileWriter(), decoder, clock);
    TrackSyncEndpoint trackSync = new TrackSyncEndpoint(storage.profileWriter(), storage.profileReader(), decoder, clock);
    ExportIdsEndpoint exportIds = new ExportIdsEndpoint(storage.profileReader(), clock);
    return List.of(
        ApiRoute.post("/users/track", Permission.USERS_TRACK, track::handle),
        ApiRoute.post("/users/track/sync", Permission.USERS_TRACK_SYNC, trackSync::handle),
        ApiRoute.post("/users/export/ids", Permission.USERS_EXPORT_IDS, exportIds::handle));
  }
}
