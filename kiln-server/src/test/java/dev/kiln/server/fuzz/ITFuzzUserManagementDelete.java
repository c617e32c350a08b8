package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/delete} with {@value UserManagementTraces#TRIES} generated bodies
 * ({@link UserManagementBodies}): deletes of the try's users by every kind of identifier, mixed in one
 * request. Every try first makes users of its own ({@link ManagedUsers}). For every try: Braze's
 * contract, a healthy server, and in the store ({@link UserManagementTraces}): nothing changed by a
 * refusal, the bystanders untouched, and on a success {@code deleted} is the number of the try's users
 * gone, and the users left are untouched.
 *
 * <p>Fewer tries than the 10,000 of the other ITFuzz classes (the overload of FuzzSuite#fuzz taking
 * the number): a try here costs two requests and a dozen reads and writes of the store, and the seven
 * user management classes share a budget of about two minutes per backend.
 */
class ITFuzzUserManagementDelete extends FuzzSuite {
  @Test
  void keepsBrazesContractAndCountsTheUsersItDeletes() {
    fuzz(Endpoint.DELETE, UserManagementTraces.TRIES, ManagedUsers::bystanders,
        FuzzRequests.mix(UserManagementBodies.validDelete(), UserManagementBodies.exoticDelete()),
        thisTry -> UserManagementTraces.check(thisTry, UserManagementTraces::checkDelete));
  }
}
