package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/merge} with {@value UserManagementTraces#TRIES} generated bodies
 * ({@link UserManagementBodies}): merges between the try's users named by every kind of identifier, of
 * a user into itself and of unknown users. Every try first makes users of its own
 * ({@link ManagedUsers}). For every try: Braze's contract, a healthy server, and in the store
 * ({@link UserManagementTraces}): nothing changed by a refusal, the bystanders untouched, and on a
 * success no user created, at most one gone per update, no event or purchase row lost, and users that
 * stay only gain.
 *
 * <p>Fewer tries than the 10,000 of the other ITFuzz classes (the overload of FuzzSuite#fuzz taking
 * the number): a try here costs two requests and a dozen reads and writes of the store, and the seven
 * user management classes share a budget of about two minutes per backend.
 */
class ITFuzzUserManagementMerge extends FuzzSuite {
  @Test
  void keepsBrazesContractAndLosesNoActivity() {
    fuzz(Endpoint.MERGE, UserManagementTraces.TRIES, ManagedUsers::bystanders,
        FuzzRequests.mix(UserManagementBodies.validMerge(), UserManagementBodies.exoticMerge()),
        thisTry -> UserManagementTraces.check(thisTry, UserManagementTraces::checkMerge));
  }
}
