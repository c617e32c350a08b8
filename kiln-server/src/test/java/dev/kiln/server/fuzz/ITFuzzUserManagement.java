package dev.kiln.server.fuzz;

import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the seven user management endpoints, each with {@value UserManagementTraces#TRIES}
 * generated bodies ({@link UserManagementBodies}), each a test of its own ({@link Target} says what
 * its bodies hold and what its success must account for). Every try first makes users of its own
 * ({@link ManagedUsers}). For every try: Braze's contract, a healthy server, and in the store
 * ({@link UserManagementTraces}): nothing changed by a refusal, the bystanders untouched, and a
 * success accounts for what it changed.
 *
 * <p>Each endpoint runs on a server and store of its own (the bystanders are made once per store)
 * and keeps the seed it had as a class of its own: the hash code of {@link Target#suite}. Fewer
 * tries than the 10,000 of the other ITFuzz classes (the overload of FuzzSuite#fuzz taking the
 * number): a try here costs two requests and a dozen reads and writes of the store, and the seven
 * endpoints share a budget of about two minutes per backend.
 */
class ITFuzzUserManagement extends FuzzSuite {
  /** One endpoint under fuzzing: its bodies and what a success of it must account for. */
  enum Target {
    /**
     * Aliases for the try's users (by primary, deprecated and unknown external_ids) and for new
     * alias-only users; a success's {@code aliases_processed} counts the aliases sent, at most that
     * many new users, each alias-only, and no alias taken from anyone.
     */
    ALIAS_NEW(
        "ITFuzzUserManagementAliasNew",
        Endpoint.ALIAS_NEW,
        UserManagementBodies::validAliasNew,
        UserManagementBodies::exoticAliasNew,
        UserManagementTraces::checkAliasNew),
    /**
     * Renames of the try's aliases, of aliases nobody holds and to names already held; a success
     * only renames aliases.
     */
    ALIAS_UPDATE(
        "ITFuzzUserManagementAliasUpdate",
        Endpoint.ALIAS_UPDATE,
        UserManagementBodies::validAliasUpdate,
        UserManagementBodies::exoticAliasUpdate,
        UserManagementTraces::checkAliasUpdate),
    /**
     * Aliases, emails and phones (with prioritizations valid and not) identified as the try's
     * users, their deprecated ids or new ids; a success answers the counts sent, creates no user,
     * loses no event or purchase row, and users that stay only gain.
     */
    IDENTIFY(
        "ITFuzzUserManagementIdentify",
        Endpoint.IDENTIFY,
        UserManagementBodies::validIdentify,
        UserManagementBodies::exoticIdentify,
        UserManagementTraces::checkIdentify),
    /**
     * Merges between the try's users named by every kind of identifier, of a user into itself and
     * of unknown users; a success creates no user, removes at most one per update, loses no event
     * or purchase row, and users that stay only gain.
     */
    MERGE(
        "ITFuzzUserManagementMerge",
        Endpoint.MERGE,
        UserManagementBodies::validMerge,
        UserManagementBodies::exoticMerge,
        UserManagementTraces::checkMerge),
    /**
     * Deletes of the try's users by every kind of identifier, mixed in one request; a success's
     * {@code deleted} is the number of the try's users gone, and the users left are untouched.
     */
    DELETE(
        "ITFuzzUserManagementDelete",
        Endpoint.DELETE,
        UserManagementBodies::validDelete,
        UserManagementBodies::exoticDelete,
        UserManagementTraces::checkDelete),
    /**
     * Renames of primary, deprecated and unknown external_ids to new, taken and equal ids and ids
     * at the byte limit; a success's {@code external_ids} lists exactly the renames whose old ids
     * became deprecated, and every error names an item sent.
     */
    RENAME(
        "ITFuzzUserManagementRename",
        Endpoint.RENAME_EXTERNAL_IDS,
        UserManagementBodies::validRename,
        UserManagementBodies::exoticRename,
        UserManagementTraces::checkRename),
    /**
     * Removals of the try's deprecated ids, primary ids and unknown ids; a success's {@code
     * removed_ids} lists exactly the deprecated ids gone, and every error names an item sent.
     */
    REMOVE(
        "ITFuzzUserManagementRemove",
        Endpoint.REMOVE_EXTERNAL_IDS,
        UserManagementBodies::validRemove,
        UserManagementBodies::exoticRemove,
        UserManagementTraces::checkRemove);

    /** The name whose hash code seeds the endpoint's bodies: its class's name when it had one. */
    final String suite;

    private final Endpoint endpoint;
    private final Supplier<Gen<Doc>> valid;
    private final Supplier<Gen<Doc>> exotic;
    private final UserManagementTraces.Accounting accounting;

    Target(
        String suite,
        Endpoint endpoint,
        Supplier<Gen<Doc>> valid,
        Supplier<Gen<Doc>> exotic,
        UserManagementTraces.Accounting accounting) {
      this.suite = suite;
      this.endpoint = endpoint;
      this.valid = valid;
      this.exotic = exotic;
      this.accounting = accounting;
    }
  }

  // One test per endpoint, each named in the reports (a parameterized test's invocations are only
  // numbered there).

  @Test
  void aliasNewCreatesAtMostOneUserPerAlias() {
    fuzz(Target.ALIAS_NEW);
  }

  @Test
  void aliasUpdateOnlyRenamesAliases() {
    fuzz(Target.ALIAS_UPDATE);
  }

  @Test
  void identifyLosesNoActivity() {
    fuzz(Target.IDENTIFY);
  }

  @Test
  void mergeLosesNoActivity() {
    fuzz(Target.MERGE);
  }

  @Test
  void deleteCountsTheUsersItDeletes() {
    fuzz(Target.DELETE);
  }

  @Test
  void renameAnswersForEveryRename() {
    fuzz(Target.RENAME);
  }

  @Test
  void removeAnswersForEveryRemoval() {
    fuzz(Target.REMOVE);
  }

  /**
   * Braze's contract, a healthy server and the endpoint's property 3 over its tries, with its old
   * class's seed.
   */
  private void fuzz(Target target) {
    fuzz(
        target.suite,
        target.endpoint,
        UserManagementTraces.TRIES,
        ManagedUsers::bystanders,
        FuzzRequests.mix(target.valid.get(), target.exotic.get()),
        thisTry -> UserManagementTraces.check(thisTry, target.accounting));
  }

  @AfterEach
  void freshServerForTheNextEndpoint() {
    restartServer();
  }
}
