package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /segments/update} with 10,000 generated bodies aimed at three fixture segments
 * (one referring to another, so a filter can close a loop), an archived one and an unknown id. For
 * every try: Braze's contract, a healthy server, and exactly the named segment changed on a 200,
 * none otherwise ({@link SegmentTraces}).
 */
class ITFuzzSegmentUpdate extends FuzzSuite {
  @Test
  void keepsBrazesContractAndRefusedChangesLeaveNoTrace() {
    fuzz(
        Endpoint.SEGMENT_UPDATE,
        Fixtures::segments,
        FuzzRequests.mix(SegmentBodies.validUpdate(), SegmentBodies.exoticUpdate()),
        thisTry -> SegmentTraces.checkUpdate(thisTry.send()));
  }
}
