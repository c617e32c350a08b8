package dev.kiln.server.fuzz;

import java.util.Set;

/**
 * An endpoint under fuzzing, with what Braze's contract says of its answers
 * (docs/braze-reference.md): the statuses it answers with, and, for the endpoints that answer with
 * users, that a success lists them. {@link ResponseContract#check} holds every answer to them.
 */
record Endpoint(String path, Set<Integer> brazeStatuses, boolean successListsUsers) {
  static final Endpoint TRACK = new Endpoint("/users/track", Set.of(201, 400), false);
  static final Endpoint TRACK_SYNC = new Endpoint("/users/track/sync", Set.of(201, 400), true);
  static final Endpoint EXPORT_IDS = new Endpoint("/users/export/ids", Set.of(200, 400), true);

  /** A 429 only for a segment whose export still runs (see ResponseContract). */
  static final Endpoint EXPORT_SEGMENT =
      new Endpoint("/users/export/segment", Set.of(201, 400, 404, 429), false);

  static final Endpoint SEGMENT_CREATE = new Endpoint("/segments/create", Set.of(201, 400), false);
  static final Endpoint SEGMENT_UPDATE =
      new Endpoint("/segments/update", Set.of(200, 400, 404), false);

  /** A 409 for a segment another one refers to. */
  static final Endpoint SEGMENT_DELETE =
      new Endpoint("/segments/delete", Set.of(200, 400, 404, 409), false);

  static final Endpoint ALIAS_NEW = new Endpoint("/users/alias/new", Set.of(201, 400), false);
  static final Endpoint ALIAS_UPDATE = new Endpoint("/users/alias/update", Set.of(201, 400), false);
  static final Endpoint IDENTIFY = new Endpoint("/users/identify", Set.of(201, 400), false);

  /** Braze documents a 202: it merges later (Kiln has merged when it answers). */
  static final Endpoint MERGE = new Endpoint("/users/merge", Set.of(202, 400), false);

  static final Endpoint DELETE = new Endpoint("/users/delete", Set.of(201, 400), false);
  static final Endpoint RENAME_EXTERNAL_IDS =
      new Endpoint("/users/external_ids/rename", Set.of(201, 400), false);
  static final Endpoint REMOVE_EXTERNAL_IDS =
      new Endpoint("/users/external_ids/remove", Set.of(201, 400), false);
}
