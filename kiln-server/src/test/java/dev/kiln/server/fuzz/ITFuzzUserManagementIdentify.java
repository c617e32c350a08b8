package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/identify} with {@value UserManagementTraces#TRIES} generated bodies
 * ({@link UserManagementBodies}): aliases, emails and phones (with prioritizations valid and not)
 * identified as the try's users, their deprecated ids or new ids. Every try first makes users of its
 * own ({@link ManagedUsers}). For every try: Braze's contract, a healthy server, and in the store
 * ({@link UserManagementTraces}): nothing changed by a refusal, the bystanders untouched, and on a
 * success the counts answered are those sent, no user created, no event or purchase row lost, and
 * users that stay only gain.
 *
 * <p>Fewer tries than the 10,000 of the other ITFuzz classes (the overload of FuzzSuite#fuzz taking
 * the number): a try here costs two requests and a dozen reads and writes of the store, and the seven
 * user management classes share a budget of about two minutes per backend.
 */
class ITFuzzUserManagementIdentify extends FuzzSuite {
  @Test
  void keepsBrazesContractAndLosesNoActivity() {
    fuzz(Endpoint.IDENTIFY, UserManagementTraces.TRIES, ManagedUsers::bystanders,
        FuzzRequests.mix(UserManagementBodies.validIdentify(), UserManagementBodies.exoticIdentify()),
        thisTry -> UserManagementTraces.check(thisTry, UserManagementTraces::checkIdentify));
  }
}
