package dev.kiln.server.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code POST /users/alias/new} with {@value UserManagementTraces#TRIES} generated bodies
 * ({@link UserManagementBodies}): aliases for the try's users (by primary, deprecated and unknown
 * external_ids) and for new alias-only users. Every try first makes users of its own
 * ({@link ManagedUsers}). For every try: Braze's contract, a healthy server, and in the store
 * ({@link UserManagementTraces}): nothing changed by a refusal, the bystanders untouched, and on a
 * success {@code aliases_processed} counts the aliases sent, at most that many new users, each
 * alias-only, and no alias taken from anyone.
 *
 * <p>Fewer tries than the 10,000 of the other ITFuzz classes (the overload of FuzzSuite#fuzz taking
 * the number): a try here costs two requests and a dozen reads and writes of the store, and the seven
 * user management classes share a budget of about two minutes per backend.
 */
class ITFuzzUserManagementAliasNew extends FuzzSuite {
  @Test
  void keepsBrazesContractAndCreatesAtMostOneUserPerAlias() {
    fuzz(Endpoint.ALIAS_NEW, UserManagementTraces.TRIES, ManagedUsers::bystanders,
        FuzzRequests.mix(UserManagementBodies.validAliasNew(), UserManagementBodies.exoticAliasNew()),
        thisTry -> UserManagementTraces.check(thisTry, UserManagementTraces::checkAliasNew));
  }
}
