package dev.kiln.server.exports;

import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.ArrayList;
import java.util.List;

/** A cohort of users tracked through the API, and a segment of exactly them, to export. */
final class ExportFixtures {
  private ExportFixtures() {}

  /**
   * Tracks users {@code <cohort>-0} to {@code <cohort>-<users - 1>}, each with the custom attribute
   * cohort.
   */
  static void trackCohort(RunningKiln kiln, String cohort, int users) {
    List<String> attributes = new ArrayList<>();
    for (int n = 0; n < users; n++) {
      attributes.add(
          "{\"external_id\":%s,\"cohort\":%s}".formatted(quote(cohort + "-" + n), quote(cohort)));
    }
    for (int from = 0; from < users; from += 75) {
      Response tracked =
          kiln.post(
              "/users/track",
              "{\"attributes\":["
                  + String.join(",", attributes.subList(from, Math.min(from + 75, users)))
                  + "]}");
      assertThat(tracked.status()).as("tracking users: %s", tracked).isEqualTo(201);
    }
  }

  /** The filter of the cohort's users. */
  static String cohortFilter(String cohort) {
    return "{\"custom_attribute\":\"cohort\",\"op\":\"equals\",\"value\":" + quote(cohort) + "}";
  }

  /** A new segment of the cohort's users; answers its id. */
  static String cohortSegment(RunningKiln kiln, String cohort) {
    Response created =
        kiln.post(
            "/segments/create",
            "{\"name\":%s,\"filter\":%s}".formatted(quote(uid("seg")), cohortFilter(cohort)));
    assertThat(created.status()).as("creating the segment: %s", created).isEqualTo(201);
    return created.json().path("segment_id").asText();
  }

  /**
   * Requests an export of external ids, with a callback when one is given; answers its
   * object_prefix.
   */
  static String exportIds(RunningKiln kiln, String segmentId, String callback) {
    String withCallback = callback == null ? "" : ",\"callback_endpoint\":" + quote(callback);
    Response response =
        kiln.post(
            "/users/export/segment",
            "{\"segment_id\":%s,\"fields_to_export\":[\"external_id\"]%s}"
                .formatted(quote(segmentId), withCallback));
    assertThat(response.status()).as("export request: %s", response).isEqualTo(201);
    return response.json().path("object_prefix").asText();
  }
}
