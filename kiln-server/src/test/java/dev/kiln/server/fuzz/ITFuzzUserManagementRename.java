package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/external_ids/rename} with {@value UserManagementTraces#TRIES} generated
 * bodies ({@link UserManagementBodies}): renames of primary, deprecated and unknown external_ids to
 * new, taken and equal ids and ids at the byte limit. Every try first makes users of its own
 * ({@link ManagedUsers}). For every try: Braze's contract, a healthy server, and in the store
 * ({@link UserManagementTraces}): nothing changed by a refusal, the bystanders untouched, and on a
 * success {@code external_ids} lists exactly the renames whose old ids became deprecated, and every
 * error names an item sent.
 *
 * <p>Fewer tries than the 10,000 of the other ITFuzz classes (the overload of FuzzSuite#fuzz taking
 * the number): a try here costs two requests and a dozen reads and writes of the store, and the seven
 * user management classes share a budget of about two minutes per backend.
 */
class ITFuzzUserManagementRename extends FuzzSuite {
  @Test
  void keepsBrazesContractAndAnswersForEveryRename() {
    fuzz(Endpoint.RENAME_EXTERNAL_IDS, UserManagementTraces.TRIES, ManagedUsers::bystanders,
        FuzzRequests.mix(UserManagementBodies.validRename(), UserManagementBodies.exoticRename()),
        thisTry -> UserManagementTraces.check(thisTry, UserManagementTraces::checkRename));
  }
}
