package dev.kiln.server.exports;

import static dev.kiln.server.exports.ExportFixtures.cohortSegment;
import static dev.kiln.server.exports.ExportFixtures.exportIds;
import static dev.kiln.server.exports.ExportFixtures.trackCohort;
import static dev.kiln.server.exports.ExportStatuses.await;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportSpec;
import dev.kiln.segment.FilterParser;
import dev.kiln.server.testing.CallbackReceiver;
import dev.kiln.server.testing.RunningKiln;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An export whose run fails every time (its filter is one Kiln refuses to run) ends as failed, with
 * its reason in its status and its callback, after a bounded number of runs spaced by a growing
 * wait, and other exports are written meanwhile. Today's main retried it every second forever,
 * ahead of every other export.
 */
class ITExportFailures {
  private static final Duration PROMPTLY = Duration.ofSeconds(60);

  @RegisterExtension
  static final RunningKiln kiln =
      RunningKiln.perClass(
          Map.of(
              "KILN_CALLBACK_ALLOW_PRIVATE",
              "true",
              "KILN_EXPORT_MAX_ATTEMPTS",
              "3",
              "KILN_EXPORT_RETRY_SECONDS",
              "1"));

  @Test
  void aJobTheDatabaseCannotRunFailsWithItsReasonAndHoldsUpNoOtherExport() throws Exception {
    String cohort = uid("healthy");
    trackCohort(kiln, cohort, 1);
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      // Planted in the store: the API refuses such filters when a segment is created. It is the
      // oldest job, the first one claimed.
      String poisoned = plantJob(unrunnableFilter(), receiver.url());
      String healthy = exportIds(kiln, cohortSegment(kiln, cohort), null);

      JsonNode healthyStatus = await(kiln, healthy, "state", "succeeded", PROMPTLY);
      assertThat(healthyStatus.path("users_written").asInt()).isEqualTo(1);

      JsonNode callback = json(receiver.next(PROMPTLY));
      assertThat(callback.path("success").asBoolean(true)).as("callback %s", callback).isFalse();
      String reason = callback.path("reason").asText();
      assertThat(reason)
          .matches(
              "(the segment's filter cannot be evaluated|the export failed 3 times; the last time: )"
                  + ".+")
          .doesNotContain("SQLITE_", "ERROR:");
      JsonNode status = await(kiln, poisoned, "callback", "sent", PROMPTLY);
      assertThat(status.path("state").asText()).isEqualTo("failed");
      assertThat(status.path("error").asText()).isEqualTo(reason);
      assertThat(status.path("failed_runs").asInt()).isBetween(0, 3);
    }
  }

  /**
   * Within FilterParser's bounds, beyond what Kiln evaluates: 51 regular expressions, one more than
   * a filter may hold (docs/segments.md), so every run of the job fails the same way. (The filters
   * the databases themselves refused, 1,000 ORs on SQLite and a 98-step path on PostgreSQL, now
   * run.)
   */
  private static String unrunnableFilter() throws Exception {
    String filter =
        IntStream.range(0, 51)
            .mapToObj(
                i ->
                    "{\"attribute\":\"first_name\",\"op\":\"matches_regex\",\"value\":\"^x"
                        + i
                        + "\"}")
            .collect(Collectors.joining(",", "{\"or\":[", "]}"));
    FilterParser.parse(
        new ObjectMapper().readValue(filter, Object.class)); // within the parser's bounds
    return filter;
  }

  private static String plantJob(String filter, String callback) {
    String objectPrefix = UUID.randomUUID() + "-" + Instant.now().getEpochSecond();
    kiln.storage()
        .exportJobs()
        .create(
            ExportJob.requested(
                objectPrefix,
                uid("deleted-segment"),
                filter,
                Instant.now().minusSeconds(1),
                new ExportSpec(
                    Set.of("external_id"), Set.of(), ExportFormat.ZIP, URI.create(callback))));
    return objectPrefix;
  }
}
