package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/external_ids/remove} with {@value UserManagementTraces#TRIES} generated
 * bodies ({@link UserManagementBodies}): removals of the try's deprecated ids, primary ids and unknown
 * ids. Every try first makes users of its own ({@link ManagedUsers}). For every try: Braze's contract,
 * a healthy server, and in the store ({@link UserManagementTraces}): nothing changed by a refusal, the
 * bystanders untouched, and on a success {@code removed_ids} lists exactly the deprecated ids gone,
 * and every error names an item sent.
 *
 * <p>Fewer tries than the 10,000 of the other ITFuzz classes (the overload of FuzzSuite#fuzz taking
 * the number): a try here costs two requests and a dozen reads and writes of the store, and the seven
 * user management classes share a budget of about two minutes per backend.
 */
class ITFuzzUserManagementRemove extends FuzzSuite {
  @Test
  void keepsBrazesContractAndAnswersForEveryRemoval() {
    fuzz(Endpoint.REMOVE_EXTERNAL_IDS, UserManagementTraces.TRIES, ManagedUsers::bystanders,
        FuzzRequests.mix(UserManagementBodies.validRemove(), UserManagementBodies.exoticRemove()),
        thisTry -> UserManagementTraces.check(thisTry, UserManagementTraces::checkRemove));
  }
}
