package dev.kiln.server.fuzz;

import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.RunningKiln.Response;
import java.util.HashMap;
import java.util.Map;

/** What the fuzzed bodies refer to by placeholder: seeded users and fixture segments. */
final class Fixtures {
  /** A segment id no segment has. */
  static final String UNKNOWN_SEGMENT = "00000000-0000-4000-8000-00000000f00d";

  /** Matches nobody, so exports of it are cheap. */
  static final String NOBODY = "{\"or\":[]}";

  private Fixtures() {}

  /** The users TrackBodies and ExportBodies name as existing ones; they need no placeholders. */
  static Map<String, String> seedUsers(FuzzServer server) {
    String alias =
        "{\"alias_name\":"
            + quote(TrackIdentities.SEED_ALIAS_NAME)
            + ",\"alias_label\":"
            + quote(TrackIdentities.ALIAS_LABEL)
            + "}";
    Response seeded =
        server.post(
            "/users/track",
            "{\"attributes\":["
                + "{\"external_id\":\"seed-0\",\"email\":"
                + quote(TrackIdentities.SEED_EMAIL)
                + "},"
                + "{\"external_id\":\"seed-1\",\"phone\":"
                + quote(TrackIdentities.SEED_PHONE)
                + "},"
                + "{\"external_id\":\"seed-2\",\"plan\":\"gold\"},"
                + "{\"user_alias\":"
                + alias
                + ",\"_update_existing_only\":false}]}");
    assertThat(seeded.status()).as("seeding users: %s", seeded.body()).isEqualTo(201);
    return Map.of();
  }

  static String segment(FuzzServer server, String name, String filter) {
    Response created =
        server.post("/segments/create", "{\"name\":" + quote(name) + ",\"filter\":" + filter + "}");
    assertThat(created.status()).as("creating segment %s: %s", name, created.body()).isEqualTo(201);
    return created.json().path("segment_id").asText();
  }

  static String archivedSegment(FuzzServer server) {
    String id = segment(server, "archived", NOBODY);
    archive(server, id);
    return id;
  }

  static void archive(FuzzServer server, String segmentId) {
    Response deleted = server.post("/segments/delete", "{\"segment_id\":" + quote(segmentId) + "}");
    assertThat(deleted.status())
        .as("archiving segment %s: %s", segmentId, deleted.body())
        .isEqualTo(200);
  }

  /**
   * Segments for the segment endpoints: {@code {S0}}, {@code {S1}} (which refers to {@code {S0}},
   * so {@code {S0}} is also {@code {G}}, a segment that cannot be deleted), {@code {S2}}, {@code
   * {A}} archived, {@code {U}} unknown.
   */
  static Map<String, String> segments(FuzzServer server) {
    Map<String, String> segments = new HashMap<>();
    String s0 =
        segment(
            server,
            "fixture-0",
            "{\"custom_attribute\":\"fz_score\",\"op\":\"greater_than\",\"value\":1}");
    segments.put("{S0}", s0);
    segments.put("{G}", s0);
    segments.put(
        "{S1}", segment(server, "fixture-1", "{\"segment\":" + quote(s0) + ",\"op\":\"in\"}"));
    segments.put("{S2}", segment(server, "fixture-2", "{\"and\":[]}"));
    segments.put("{A}", archivedSegment(server));
    segments.put("{U}", UNKNOWN_SEGMENT);
    return segments;
  }

  /**
   * Segments for the export endpoint: {@link ExportBodies#EXPORT_SEGMENTS} match nobody (so an
   * accepted export finishes at once), {@code {A}} archived, {@code {U}} unknown.
   */
  static Map<String, String> exportSegments(FuzzServer server) {
    Map<String, String> segments = new HashMap<>();
    for (int i = 0; i < ExportBodies.EXPORT_SEGMENTS.size(); i++) {
      segments.put(ExportBodies.EXPORT_SEGMENTS.get(i), segment(server, "export-" + i, NOBODY));
    }
    segments.put("{A}", archivedSegment(server));
    segments.put("{U}", UNKNOWN_SEGMENT);
    return segments;
  }
}
