package dev.kiln.storage.sqlite;

import dev.kiln.storage.tests.ITApiKeyStore;
import dev.kiln.storage.tests.ITClearing;
import dev.kiln.storage.tests.ITConcurrentWriters;
import dev.kiln.storage.tests.ITExportJobStore;
import dev.kiln.storage.tests.ITIdentifierLookups;
import dev.kiln.storage.tests.ITProfileStore;
import dev.kiln.storage.tests.ITRateLimiter;
import dev.kiln.storage.tests.ITUserDirectory;
import dev.kiln.storage.tests.SchemaTables;
import dev.kiln.storage.tests.StorageHarness;
import dev.kiln.storage.tests.segments.ITSegmentQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/** Runs the shared storage contract suite against real SQLite files in a temporary folder. */
class ITSqliteStorage {

  /**
   * One data folder per suite, shared by the storage under test and the storages that reopen it.
   */
  static final class DataFolder implements StorageHarness<SqliteStorage> {
    private Path dir;
    private Clock clock;

    @Override
    public SqliteStorage openEmpty(Clock clock) {
      this.clock = clock;
      try {
        dir = Files.createTempDirectory("kiln-sqlite-it");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return reopen();
    }

    @Override
    public SqliteStorage reopen() {
      return SqliteStorage.newBuilder(dir).clock(clock).build();
    }

    /** The JDBC URL of the database file, for a test's own connections. */
    String url() {
      return "jdbc:sqlite:" + dir.resolve(SqliteStorage.DATABASE_FILE);
    }

    @Override
    public void clear() throws Exception {
      try (Connection connection = DriverManager.getConnection(url());
          Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA busy_timeout = 30000");
        // In any order: this connection does not enforce foreign keys. User ids restart once users
        // is empty.
        for (String table : SchemaTables.of(connection)) {
          statement.execute("DELETE FROM " + table);
        }
      }
    }
  }

  @Nested
  class Clearing extends ITClearing<SqliteStorage> {
    Clearing() {
      super(new DataFolder());
    }
  }

  @Nested
  class ApiKeys extends ITApiKeyStore<SqliteStorage> {
    ApiKeys() {
      super(new DataFolder());
    }
  }

  @Nested
  class Profiles extends ITProfileStore<SqliteStorage> {
    Profiles() {
      super(new DataFolder());
    }
  }

  @Nested
  class Users extends ITUserDirectory<SqliteStorage> {
    Users() {
      super(new DataFolder());
    }
  }

  @Nested
  class Segments extends ITSegmentQueries<SqliteStorage> {
    Segments() {
      super(new DataFolder());
    }
  }

  @Nested
  class ExportJobs extends ITExportJobStore<SqliteStorage> {
    ExportJobs() {
      super(new DataFolder());
    }
  }

  @Nested
  class ConcurrentWriters extends ITConcurrentWriters<SqliteStorage> {
    ConcurrentWriters() {
      super(new DataFolder());
    }
  }

  @Nested
  class IdentifierLookups extends ITIdentifierLookups<SqliteStorage, DataFolder> {
    IdentifierLookups() {
      super(new DataFolder());
    }

    @Override
    protected Connection connect(DataFolder folder) throws SQLException {
      return DriverManager.getConnection(folder.url());
    }

    /** One writer at a time: nothing comes between a write's lookup and its lock. */
    @Override
    protected Optional<String> waitingLocksQuery() {
      return Optional.empty();
    }
  }

  @Nested
  class RateLimits extends ITRateLimiter<SqliteStorage> {
    RateLimits() {
      super(new DataFolder());
    }

    @Override
    protected boolean sharedByNodes() {
      return false;
    }
  }
}
