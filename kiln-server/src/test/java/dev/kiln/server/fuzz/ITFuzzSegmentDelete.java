package dev.kiln.server.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /segments/delete} with 10,000 generated bodies. Each try gets a segment of its
 * own to delete ({@code {V}}, written straight to the store, see {@link StoreProbe#insertSegment});
 * bodies also name a segment another one refers to ({@code {G}}, a 409), an archived one and an
 * unknown id. For every try: Braze's contract, a healthy server, and exactly the named segment
 * archived on a 200, none otherwise ({@link SegmentTraces}). The try's segment is archived
 * afterwards in any case, so active segments do not pile up.
 */
class ITFuzzSegmentDelete extends FuzzSuite {
  @Test
  void keepsBrazesContractAndRefusedDeletesLeaveNoTrace() {
    fuzz(
        Endpoint.SEGMENT_DELETE,
        Fixtures::segments,
        FuzzRequests.mix(SegmentBodies.validDelete(), SegmentBodies.exoticDelete()),
        thisTry -> {
          String tag = thisTry.placeholders().get(FuzzServer.TAG);
          String victim = UUID.nameUUIDFromBytes(tag.getBytes(StandardCharsets.UTF_8)).toString();
          thisTry
              .placeholders()
              .put("{V}", server().store().insertSegment(victim, "victim", Fixtures.NOBODY));
          SegmentTraces.checkDelete(thisTry.send());
          server().store().archiveSegment(victim);
        });
  }
}
