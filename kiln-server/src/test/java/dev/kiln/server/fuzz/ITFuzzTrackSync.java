package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/track/sync} with 10,000 generated bodies, mostly of one object as the
 * endpoint takes, with the properties of {@link ITFuzzTrack}: Braze's contract (with a {@code
 * users} list in every 201), a healthy server, and no trace of a refused object ({@link
 * TrackTraces}).
 */
class ITFuzzTrackSync extends FuzzSuite {
  @Test
  void keepsBrazesContractAndRefusedObjectsLeaveNoTrace() {
    fuzz(
        Endpoint.TRACK_SYNC,
        Fixtures::seedUsers,
        FuzzRequests.mix(TrackBodies.validSingle(), TrackBodies.exoticSingle()),
        thisTry -> TrackTraces.check(thisTry.send(), server().store(), false));
  }
}
