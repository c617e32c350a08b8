package dev.kiln.core.identity;

import java.time.Instant;

/**
 * One item of a user management request (docs/braze-reference.md section 11): Braze's semantics as
 * code over the primitives of an {@link IdentityTransaction}. Running again on a fresh transaction
 * gives the same outcome, so a backend may retry a transaction that lost a race.
 */
public sealed interface UserOperation
    permits AddAlias,
        RenameAlias,
        IdentifyUser,
        MergeUsers,
        DeleteUser,
        RenameExternalId,
        RemoveExternalId {

  OperationResult applyTo(IdentityTransaction transaction, Instant now);
}
