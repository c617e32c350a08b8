package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /segments/create} with 10,000 generated bodies: names, descriptions and tags
 * of every kind, and filters of every family, valid and broken ({@link Filters}). For every try:
 * Braze's contract, a healthy server, and exactly the answered segment created on a 201, none
 * otherwise ({@link SegmentTraces}). A created segment is archived again after its try, so the
 * number of active segments, and with it the cost of each request, stays the same throughout.
 */
class ITFuzzSegmentCreate extends FuzzSuite {
  @Test
  void keepsBrazesContractAndRefusedSegmentsLeaveNoTrace() {
    fuzz(
        Endpoint.SEGMENT_CREATE,
        Fixtures::segments,
        FuzzRequests.mix(SegmentBodies.validCreate(), SegmentBodies.exoticCreate()),
        thisTry -> {
          Sent sent = thisTry.send();
          SegmentTraces.checkCreate(sent);
          if (sent.exchange().status() == 201) {
            server().store().archiveSegment(sent.answer().path("segment_id").asText());
          }
        });
  }
}
