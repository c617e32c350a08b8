package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/track} with 10,000 generated bodies (see {@link FuzzRequests} for the
 * mix: valid bodies, bodies with exotic values, structural and byte mutations, other content types,
 * bodies over the size limit). For every try: the answer keeps Braze's contract ({@link
 * ResponseContract}), the server stays healthy, and rejected objects leave no trace while accepted
 * ones are stored ({@link TrackTraces}, whose javadoc explains how a try's writes are told apart).
 *
 * <p>A failure shows the class, the seed, the try's number and the exact body sent (escaped where
 * not printable); {@code -Dkiln.fuzz.seed=N -Dkiln.fuzz.try=K} sends that body again, alone, and
 * another {@code -Dkiln.fuzz.seed} explores other bodies ({@link FuzzSuite}). The same holds for
 * every ITFuzz class.
 */
class ITFuzzTrack extends FuzzSuite {
  @Test
  void keepsBrazesContractAndRejectedObjectsLeaveNoTrace() {
    fuzz(
        Endpoint.TRACK,
        Fixtures::seedUsers,
        FuzzRequests.mix(TrackBodies.valid(), TrackBodies.exotic()),
        thisTry -> TrackTraces.check(thisTry.send(), server().store(), true));
  }
}
