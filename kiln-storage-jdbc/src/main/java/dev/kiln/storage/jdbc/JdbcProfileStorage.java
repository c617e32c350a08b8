package dev.kiln.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.kiln.core.CheckResult;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.auth.ApiKeyStore;
import dev.kiln.core.export.ExportJobStore;
import dev.kiln.core.ratelimit.RateLimiter;
import dev.kiln.core.storage.ProfileReader;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.core.storage.ProfileWriter;
import dev.kiln.core.storage.UserDirectory;
import dev.kiln.segment.SegmentDefinitions;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentStorage;
import dev.kiln.storage.jdbc.ratelimit.LocalRateLimiter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared JDBC backend. A subclass supplies its dialect and opens its connection pools; this
 * class owns the roles, migrations, health check and shutdown. Pools open on first use, so building
 * a storage does no I/O.
 */
public abstract class JdbcProfileStorage extends ProfileStorage implements SegmentStorage {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcProfileStorage.class);

  /**
   * A pool for reads and one for writes (a database with a single writer gives it one connection),
   * and one for segment evaluations, which can keep the database busy for as long as their time
   * bound: on a pool of their own they never hold a connection API-key lookups, reads or writes
   * need.
   */
  public record Pools(
      HikariDataSource reads, HikariDataSource writes, HikariDataSource evaluations) {}

  private final JdbcDialect dialect;
  private final Clock clock;
  private final int maxRequestsPerCommit;
  private final EvaluationTimeouts evaluationTimeouts;
  private Pools pools;
  private WritePool writePool;
  private Roles roles;
  private boolean closed;

  protected JdbcProfileStorage(
      JdbcDialect dialect,
      Clock clock,
      int maxRequestsPerCommit,
      EvaluationTimeouts evaluationTimeouts) {
    this.dialect = Objects.requireNonNull(dialect, "dialect == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.evaluationTimeouts =
        Objects.requireNonNull(evaluationTimeouts, "evaluationTimeouts == null");
    if (maxRequestsPerCommit < 1) {
      throw new IllegalArgumentException("maxRequestsPerCommit < 1");
    }
    this.maxRequestsPerCommit = maxRequestsPerCommit;
  }

  /** Opens the pools. Called once, on first use. */
  protected abstract Pools openPools();

  /**
   * The counters behind the API's rate limits. In this process's memory unless the backend is
   * shared by several nodes, which keeps them in the database instead.
   */
  protected RateLimiter openRateLimiter(Pools pools, Clock clock) {
    return new LocalRateLimiter(clock);
  }

  /** A short description for logs and the health check, such as the database file. */
  protected abstract String describe();

  @Override
  public void migrate() {
    try {
      flyway().migrate();
    } catch (FlywayException e) {
      // Flyway's reason is what the operator can act on (a database Kiln did not make, a failed
      // statement); migrations run at start and from `kiln migrate`, never inside a request.
      throw new KilnException(
          ErrorCode.STORAGE_UNAVAILABLE,
          "the schema of " + describe() + " could not be migrated: " + e.getMessage(),
          e);
    }
    try {
      arrangeTables(pools().writes());
    } catch (SQLException e) {
      throw new KilnException(
          ErrorCode.STORAGE_UNAVAILABLE,
          "the tables of " + describe() + " could not be laid out: " + e.getMessage(),
          e);
    }
  }

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource(pools().writes())
        .locations(dialect.migrationLocation())
        .load();
  }

  /**
   * Run after the migrations, where the database needs more than its schema: a distributed database
   * spreads the tables over its nodes. Nothing by default.
   */
  protected void arrangeTables(DataSource database) throws SQLException {}

  /**
   * How this store's tables are laid out, in words for an operator: one database file, a plain
   * database server, or a distributed one with its nodes and which tables are spread over them.
   */
  protected String describeLayout(Connection connection) throws SQLException {
    return "one database";
  }

  /**
   * What {@code kiln doctor} reports: whether the store answers, whether its schema is this
   * build's, and how its tables are laid out. Changes nothing.
   */
  public Diagnosis diagnose() {
    CheckResult reachable = check();
    if (!reachable.ok()) {
      return new Diagnosis(describe(), reachable, null, 0, null);
    }
    try (Connection connection = pools().reads().getConnection()) {
      MigrationInfoService migrations = flyway().info();
      MigrationInfo current = migrations.current();
      return new Diagnosis(
          describe(),
          reachable,
          current == null ? null : current.getVersion().getVersion(),
          migrations.pending().length,
          describeLayout(connection));
    } catch (SQLException | FlywayException e) {
      LOG.warn("could not inspect {}", describe(), e);
      return new Diagnosis(
          describe(), CheckResult.failed("the store could not be inspected: " + e), null, 0, null);
    }
  }

  /**
   * A store as {@link #diagnose()} found it: the schema version applied (null on an empty
   * database), how many migrations this build would still apply, the layout in words (null when
   * unreachable).
   */
  public record Diagnosis(
      String store, CheckResult reachable, String schemaVersion, int pending, String layout) {}

  @Override
  public ApiKeyStore apiKeys() {
    return roles().apiKeys();
  }

  @Override
  public ProfileWriter profileWriter() {
    return roles().writer();
  }

  @Override
  public ProfileReader profileReader() {
    return roles().reader();
  }

  @Override
  public UserDirectory userDirectory() {
    return roles().userDirectory();
  }

  @Override
  public SegmentQueries segmentQueries() {
    return roles().segments();
  }

  @Override
  public SegmentDefinitions segmentDefinitions() {
    return roles().segmentDefinitions();
  }

  @Override
  public ExportJobStore exportJobs() {
    return roles().exportJobs();
  }

  @Override
  public RateLimiter rateLimiter() {
    return roles().rateLimiter();
  }

  @Override
  public CheckResult check() {
    try {
      Pools open = pools();
      ping(open.reads());
      ping(open.writes());
      return writePool.failure().map(CheckResult::failed).orElse(CheckResult.OK);
    } catch (SQLException | RuntimeException e) {
      LOG.warn("storage check failed for {}", describe(), e);
      // /health needs no key: say what is wrong, but leave paths and addresses to the log.
      return CheckResult.failed("the store is not reachable; the server log has the details");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (roles != null) {
      roles.writer().close(); // commits everything already accepted
    }
    if (pools != null) {
      pools.reads().close();
      pools.writes().close();
      pools.evaluations().close();
    }
  }

  private synchronized Pools pools() {
    if (closed) {
      throw new KilnException(ErrorCode.UNAVAILABLE, "the store is closed");
    }
    if (pools == null) {
      pools = openPools();
      writePool = new WritePool(pools.writes(), dialect);
    }
    return pools;
  }

  private synchronized Roles roles() {
    if (roles == null) {
      Pools open = pools();
      WritePool writes = writePool;
      UserRows users = new UserRows(dialect);
      ActivityRows activities = new ActivityRows(dialect);
      roles =
          new Roles(
              new JdbcApiKeyStore(open.reads(), writes, dialect, clock),
              new JdbcProfileWriter(
                  writes, dialect, users, activities, clock, maxRequestsPerCommit),
              new JdbcProfileReader(open.reads(), users),
              new JdbcUserDirectory(writes, dialect, users, activities, clock),
              new JdbcSegmentQueries(
                  open.evaluations(), open.reads(), dialect, users, evaluationTimeouts),
              new JdbcSegmentDefinitions(open.reads(), writes, dialect),
              new JdbcExportJobs(open.reads(), writes, dialect),
              openRateLimiter(open, clock));
    }
    return roles;
  }

  private static void ping(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT 1");
    }
  }

  private record Roles(
      JdbcApiKeyStore apiKeys,
      JdbcProfileWriter writer,
      JdbcProfileReader reader,
      JdbcUserDirectory userDirectory,
      JdbcSegmentQueries segments,
      JdbcSegmentDefinitions segmentDefinitions,
      JdbcExportJobs exportJobs,
      RateLimiter rateLimiter) {}
}
