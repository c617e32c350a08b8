package dev.kiln.server;

import dev.kiln.core.auth.Permission;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.ingest.TrackDecoder;
import dev.kiln.ingest.TrackLimits;
import dev.kiln.segment.SegmentStorage;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.users.ExportIdsEndpoint;
import dev.kiln.server.segments.SegmentEndpoints;
import dev.kiln.server.track.TrackEndpoint;
import dev.kiln.server.track.TrackSyncEndpoint;
import dev.kiln.server.users.UserManagementEndpoints;
import dev.kiln.server.http.ApiRoute;
import dev.kiln.server.segments.SegmentEvaluations;
import dev.kiln.server.segments.SegmentService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Every Braze-style API endpoint Kiln serves, each with the permission it requires. */
final class ApiRoutes {
  private ApiRoutes() {}

  static List<ApiRoute> all(ProfileStorage storage, KilnConfig config) {
    Clock clock = Clock.systemUTC();
    TrackDecoder decoder = new TrackDecoder(TrackLimits.DEFAULTS);
    TrackEndpoint track = new TrackEndpoint(storage.profileWriter(), decoder, clock);
    TrackSyncEndpoint trackSync = new TrackSyncEndpoint(storage.profileWriter(), storage.profileReader(), decoder, clock);
    ExportIdsEndpoint exportIds = new ExportIdsEndpoint(storage.profileReader(), clock);
    List<ApiRoute> routes = new ArrayList<>(List.of(
        ApiRoute.post("/users/track", Permission.USERS_TRACK, track::handle),
        ApiRoute.post("/users/track/sync", Permission.USERS_TRACK_SYNC, trackSync::handle),
        ApiRoute.post("/users/export/ids", Permission.USERS_EXPORT_IDS, exportIds::handle)));
    routes.addAll(userManagementRoutes(new UserManagementEndpoints(storage.userDirectory())));
    if (storage instanceof SegmentStorage segmentStorage) {
      routes.addAll(segmentRoutes(new SegmentEndpoints(new SegmentService(segmentStorage, clock),
          new SegmentEvaluations(config.segmentEvaluations()))));
    }
    return List.copyOf(routes);
  }

  private static List<ApiRoute> userManagementRoutes(UserManagementEndpoints users) {
    return List.of(
        ApiRoute.post("/users/alias/new", Permission.USERS_ALIAS_NEW, users::newAliases),
        ApiRoute.post("/users/alias/update", Permission.USERS_ALIAS_UPDATE, users::updateAliases),
        ApiRoute.post("/users/identify", Permission.USERS_IDENTIFY, users::identify),
        ApiRoute.post("/users/merge", Permission.USERS_MERGE, users::merge),
        ApiRoute.post("/users/delete", Permission.USERS_DELETE, users::delete),
        ApiRoute.post("/users/external_ids/rename", Permission.USERS_EXTERNAL_IDS_RENAME, users::renameExternalIds),
        ApiRoute.post("/users/external_ids/remove", Permission.USERS_EXTERNAL_IDS_REMOVE, users::removeExternalIds));
  }

  private static List<ApiRoute> segmentRoutes(SegmentEndpoints segments) {
    return List.of(
        ApiRoute.post("/segments/create", Permission.SEGMENTS_CREATE, segments::create),
        ApiRoute.post("/segments/update", Permission.SEGMENTS_UPDATE, segments::update),
        ApiRoute.post("/segments/delete", Permission.SEGMENTS_DELETE, segments::delete),
        ApiRoute.get("/segments/size", Permission.SEGMENTS_SIZE, segments::size),
        ApiRoute.get("/segments/list", Permission.SEGMENTS_LIST, segments::list),
        ApiRoute.get("/segments/details", Permission.SEGMENTS_DETAILS, segments::details));
  }
}
