package dev.kiln.storage.jdbc;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.sql.SQLException;

/** Turns database errors into Kiln errors whose messages never carry the database's own text. */
final class StorageFailures {
  private StorageFailures() {}

  static KilnException unavailable(String whatFailed, SQLException cause) {
    return new KilnException(ErrorCode.STORAGE_UNAVAILABLE, "the store could not " + whatFailed, cause);
  }
}
