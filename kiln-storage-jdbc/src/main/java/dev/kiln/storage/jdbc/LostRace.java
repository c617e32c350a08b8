package dev.kiln.storage.jdbc;

import java.sql.SQLException;

/**
 * A transaction found a user by one of its identifiers, then, before it held the user's row lock,
 * another writer merged or deleted that user: under READ COMMITTED the lock finds the row gone. The
 * transaction lost a race like a deadlock's loser and runs again from the start, resolving its
 * identifiers afresh, so it applies to what the winner committed ({@link RaceRetries}).
 */
final class LostRace extends SQLException {
  private static final String SERIALIZATION_FAILURE = "40001";

  LostRace(String message) {
    super(message, SERIALIZATION_FAILURE);
  }
}
