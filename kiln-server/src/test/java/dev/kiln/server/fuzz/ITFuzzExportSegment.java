package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/export/segment} with 10,000 generated bodies over four fixture segments
 * that match nobody (so accepted exports finish at once), an archived one and an unknown id. For
 * every try: Braze's contract (429 only for a segment whose export still runs), a healthy server,
 * and exactly one export job, the one answered, queued on a 201 and none otherwise. Bodies whose
 * callback could reach past loopback are discarded, never sent ({@link CallbackGuard}).
 */
class ITFuzzExportSegment extends FuzzSuite {
  @Test
  void keepsBrazesContractAndQueuesOnlyAcceptedExports() {
    fuzz(
        Endpoint.EXPORT_SEGMENT,
        Fixtures::exportSegments,
        FuzzRequests.mix(ExportBodies.validExportSegment(), ExportBodies.exoticExportSegment()),
        thisTry -> {
          thisTry.assume(CallbackGuard.staysOnLoopback(thisTry.body()));
          Sent sent = thisTry.send();
          if (sent.exchange().status() == 201) {
            String segmentId =
                sent.exchange().sentObject().orElseThrow().path("segment_id").textValue();
            String objectPrefix = sent.answer().path("object_prefix").asText();
            assertThat(objectPrefix)
                .as("object_prefix in %s", sent.exchange())
                .matches("[0-9a-f-]{36}-\\d+");
            assertThat(sent.exportJobs())
                .as("the jobs a 201 queued, after %s", sent.exchange())
                .containsExactly(new StoreProbe.ExportJobRow(objectPrefix, segmentId));
          } else {
            assertThat(sent.exportJobs())
                .as("a %d queues no export, after %s", sent.exchange().status(), sent.exchange())
                .isEmpty();
          }
        });
  }
}
