package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/export/ids}, a read, with 10,000 generated bodies naming seeded users,
 * unknown ones and exotic identifiers. For every try: Braze's contract (with a {@code users} list
 * in every 200), a healthy server, and nothing written to the store, whatever the answer.
 */
class ITFuzzExportIds extends FuzzSuite {
  @Test
  void keepsBrazesContractAndWritesNothing() {
    fuzz(
        Endpoint.EXPORT_IDS,
        Fixtures::seedUsers,
        FuzzRequests.mix(ExportBodies.validExportIds(), ExportBodies.exoticExportIds()),
        thisTry -> TrackTraces.checkNothingWritten(thisTry.send()));
  }
}
