package dev.kiln.core.storage;

import dev.kiln.core.identity.OperationResult;
import dev.kiln.core.identity.UserOperation;
import java.util.List;

/**
 * The role of {@link ProfileStorage} behind Braze's user management endpoints: aliases, identify,
 * merge, delete and external_id renames.
 */
public interface UserDirectory {

  /**
   * Applies the operations of one request in order, in one transaction, durable when this returns.
   *
   * @return one result per operation, in order
   * @throws dev.kiln.core.KilnException {@code STORAGE_UNAVAILABLE} when nothing was committed
   */
  List<OperationResult> apply(List<UserOperation> operations);
}
