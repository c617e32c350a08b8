package dev.kiln.server;

import dev.kiln.core.auth.Permission;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.export.DownloadLinks;
import dev.kiln.ingest.TrackDecoder;
import dev.kiln.ingest.TrackLimits;
import dev.kiln.segment.SegmentStorage;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.exports.ExportEndpoints;
import dev.kiln.server.exports.SegmentExports;
import dev.kiln.server.http.ApiRoute;
import dev.kiln.server.segments.SegmentEndpoints;
import dev.kiln.server.segments.SegmentEvaluations;
import dev.kiln.server.segments.SegmentService;
import dev.kiln.server.track.TrackEndpoint;
import dev.kiln.server.track.TrackSyncEndpoint;
import dev.kiln.server.users.ExportIdsEndpoint;
import dev.kiln.server.users.UserManagementEndpoints;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The route table: every Braze-style API endpoint Kiln serves, each with the permission a key needs
 * for it. The permission also names the endpoint's rate-limit group ({@link
 * ApiRoute#rateLimitGroup()}), under which the table is ordered. Three routes take no API key and
 * are served by {@link KilnServer} beside these: {@code /health}, {@code /metrics} and the signed
 * download link {@link #DOWNLOAD}.
 */
final class ApiRoutes {
  /**
   * The signed download link of a local export: its signature is its authorization, so it takes no
   * API key.
   */
  static final String DOWNLOAD = DownloadLinks.PATH + "{objectPrefix}";

  private ApiRoutes() {}

  /** The routes of this store: segments and exports only on a store that keeps segments. */
  static List<ApiRoute> all(
      ProfileStorage storage,
      Optional<SegmentStorage> segmentStorage,
      KilnConfig config,
      Optional<SegmentExports> exports) {
    Clock clock = Clock.systemUTC();
    TrackDecoder decoder = new TrackDecoder(TrackLimits.DEFAULTS);
    List<ApiRoute> routes = new ArrayList<>();
    routes.addAll(
        track(
            new TrackEndpoint(storage.profileWriter(), decoder, clock),
            new TrackSyncEndpoint(
                storage.profileWriter(), storage.profileReader(), decoder, clock)));
    routes.addAll(
        users(
            new ExportIdsEndpoint(storage.profileReader(), clock),
            new UserManagementEndpoints(storage.userDirectory())));
    segmentStorage.ifPresent(
        segments ->
            routes.addAll(
                segments(
                    new SegmentEndpoints(
                        new SegmentService(segments, clock),
                        new SegmentEvaluations(config.segments().evaluations())))));
    exports.ifPresent(export -> routes.addAll(exports(export.endpoints())));
    return List.copyOf(routes);
  }

  /** Groups users.track and users.track.sync. */
  private static List<ApiRoute> track(TrackEndpoint track, TrackSyncEndpoint trackSync) {
    return List.of(
        ApiRoute.post("/users/track", Permission.USERS_TRACK, track::handle),
        ApiRoute.post("/users/track/sync", Permission.USERS_TRACK_SYNC, trackSync::handle));
  }

  /**
   * Groups users.export.ids, users.management (aliases, identify, merge, delete) and
   * users.external_ids.
   */
  private static List<ApiRoute> users(ExportIdsEndpoint exportIds, UserManagementEndpoints users) {
    return List.of(
        ApiRoute.post("/users/export/ids", Permission.USERS_EXPORT_IDS, exportIds::handle),
        ApiRoute.post("/users/alias/new", Permission.USERS_ALIAS_NEW, users::newAliases),
        ApiRoute.post("/users/alias/update", Permission.USERS_ALIAS_UPDATE, users::updateAliases),
        ApiRoute.post("/users/identify", Permission.USERS_IDENTIFY, users::identify),
        ApiRoute.post("/users/merge", Permission.USERS_MERGE, users::merge),
        ApiRoute.post("/users/delete", Permission.USERS_DELETE, users::delete),
        ApiRoute.post(
            "/users/external_ids/rename",
            Permission.USERS_EXTERNAL_IDS_RENAME,
            users::renameExternalIds),
        ApiRoute.post(
            "/users/external_ids/remove",
            Permission.USERS_EXTERNAL_IDS_REMOVE,
            users::removeExternalIds));
  }

  /** Group segments.and.exports. */
  private static List<ApiRoute> segments(SegmentEndpoints segments) {
    return List.of(
        ApiRoute.post("/segments/create", Permission.SEGMENTS_CREATE, segments::create),
        ApiRoute.post("/segments/update", Permission.SEGMENTS_UPDATE, segments::update),
        ApiRoute.post("/segments/delete", Permission.SEGMENTS_DELETE, segments::delete),
        ApiRoute.get("/segments/size", Permission.SEGMENTS_SIZE, segments::size),
        ApiRoute.get("/segments/list", Permission.SEGMENTS_LIST, segments::list),
        ApiRoute.get("/segments/details", Permission.SEGMENTS_DETAILS, segments::details));
  }

  /** Group segments.and.exports. */
  private static List<ApiRoute> exports(ExportEndpoints exports) {
    return List.of(
        ApiRoute.post("/users/export/segment", Permission.USERS_EXPORT_SEGMENT, exports::export),
        ApiRoute.get("/users/export/status", Permission.USERS_EXPORT_SEGMENT, exports::status),
        ApiRoute.post("/users/export/cancel", Permission.USERS_EXPORT_SEGMENT, exports::cancel));
  }
}
