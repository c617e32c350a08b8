package dev.kiln.storage.jdbc;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;

/**
 * Turns database errors (and those of libraries working on the database) into Kiln errors whose
 * messages never carry the database's own text.
 */
public final class StorageFailures {
  private StorageFailures() {}

  public static KilnException unavailable(String whatFailed, Exception cause) {
    return new KilnException(
        ErrorCode.STORAGE_UNAVAILABLE, "the store could not " + whatFailed, cause);
  }
}
