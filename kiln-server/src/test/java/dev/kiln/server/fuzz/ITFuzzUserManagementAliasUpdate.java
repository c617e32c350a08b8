package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/alias/update} with {@value UserManagementTraces#TRIES} generated bodies
 * ({@link UserManagementBodies}): renames of the try's aliases, of aliases nobody holds and to names
 * already held. Every try first makes users of its own ({@link ManagedUsers}). For every try: Braze's
 * contract, a healthy server, and in the store ({@link UserManagementTraces}): nothing changed by a
 * refusal, the bystanders untouched, and on a success aliases renamed and nothing else changed.
 *
 * <p>Fewer tries than the 10,000 of the other ITFuzz classes (the overload of FuzzSuite#fuzz taking
 * the number): a try here costs two requests and a dozen reads and writes of the store, and the seven
 * user management classes share a budget of about two minutes per backend.
 */
class ITFuzzUserManagementAliasUpdate extends FuzzSuite {
  @Test
  void keepsBrazesContractAndOnlyRenamesAliases() {
    fuzz(Endpoint.ALIAS_UPDATE, UserManagementTraces.TRIES, ManagedUsers::bystanders,
        FuzzRequests.mix(UserManagementBodies.validAliasUpdate(), UserManagementBodies.exoticAliasUpdate()),
        thisTry -> UserManagementTraces.check(thisTry, UserManagementTraces::checkAliasUpdate));
  }
}
