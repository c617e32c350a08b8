package dev.kiln.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kiln.core.ratelimit.RateLimiter;
import dev.kiln.storage.jdbc.EvaluationTimeouts;
import dev.kiln.storage.jdbc.JdbcProfileStorage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The scale-out store: any number of Kiln nodes on one PostgreSQL. Nothing a node keeps in memory
 * is needed for correctness: profiles are read {@code FOR UPDATE} inside the transaction that
 * writes them, export jobs are claimed with {@code FOR UPDATE SKIP LOCKED} under leases that run
 * out when a node dies, and a transaction that loses a race with another node runs again.
 */
public final class PostgresStorage extends JdbcProfileStorage {
  private final PostgresUrl url;
  private final int readConnections;
  private final int writeConnections;
  private final int evaluationConnections;

  private PostgresStorage(Builder builder) {
    super(
        new PostgresDialect(),
        builder.clock,
        builder.maxRequestsPerCommit,
        builder.evaluationTimeouts);
    this.url = builder.url;
    this.readConnections = builder.readConnections;
    this.writeConnections = builder.writeConnections;
    this.evaluationConnections = builder.evaluationConnections;
  }

  /**
   * A store on the database at {@code url}: {@code jdbc:postgresql://...} or {@code
   * postgres://user:pass@host/db}.
   */
  public static Builder newBuilder(String url) {
    return new Builder(PostgresUrl.parse(url));
  }

  @Override
  protected String describe() {
    return "PostgreSQL database " + url.redacted();
  }

  /** On a Citus cluster, Kiln distributes its tables itself ({@link CitusLayout}). */
  @Override
  protected void arrangeTables(DataSource database) throws SQLException {
    CitusLayout.distribute(database);
  }

  @Override
  protected String describeLayout(Connection connection) throws SQLException {
    return CitusLayout.describe(connection);
  }

  @Override
  protected Pools openPools() {
    return new Pools(
        pool("kiln-postgres-read", readConnections, true),
        pool("kiln-postgres-write", writeConnections, false),
        pool("kiln-postgres-segments", evaluationConnections, true));
  }

  /**
   * Every node counts against the same buckets, in the database, on the write pool's short
   * transactions.
   */
  @Override
  protected RateLimiter openRateLimiter(Pools pools, Clock clock) {
    return new PostgresRateLimiter(pools.writes(), clock);
  }

  private HikariDataSource pool(String name, int size, boolean readOnly) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url.jdbcUrl());
    url.properties().forEach(config::addDataSourceProperty);
    config.addDataSourceProperty("ApplicationName", "kiln");
    // One multi-row INSERT per batch of raw events instead of one statement per row.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setReadOnly(readOnly);
    // Fail on first use rather than at start, so an unreachable database shows in /health, not as a
    // crash.
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(10_000);
    return new HikariDataSource(config);
  }

  public static final class Builder {
    private final PostgresUrl url;
    private Clock clock = Clock.systemUTC();
    private int readConnections = 8;
    private int writeConnections = 4;
    private int evaluationConnections = 3;
    private EvaluationTimeouts evaluationTimeouts = EvaluationTimeouts.DEFAULTS;
    private int maxRequestsPerCommit = 256;

    private Builder(PostgresUrl url) {
      this.url = url;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Connections for reads (API keys, profiles, segment definitions); segment sizes and exports
     * have their own ({@link #evaluationConnections}). Each node opens this many at most.
     */
    public Builder readConnections(int readConnections) {
      this.readConnections = atLeastOne(readConnections, "readConnections");
      return this;
    }

    /**
     * Connections for writes: the group commit uses one at a time, the rest serve the small tables.
     */
    public Builder writeConnections(int writeConnections) {
      this.writeConnections = atLeastOne(writeConnections, "writeConnections");
      return this;
    }

    /** Connections that evaluate segments (sizes and exports), apart from the read pool. */
    public Builder evaluationConnections(int evaluationConnections) {
      this.evaluationConnections = atLeastOne(evaluationConnections, "evaluationConnections");
      return this;
    }

    public Builder evaluationTimeouts(EvaluationTimeouts evaluationTimeouts) {
      this.evaluationTimeouts =
          Objects.requireNonNull(evaluationTimeouts, "evaluationTimeouts == null");
      return this;
    }

    /** How many requests one transaction may carry at most. */
    public Builder maxRequestsPerCommit(int maxRequestsPerCommit) {
      this.maxRequestsPerCommit = atLeastOne(maxRequestsPerCommit, "maxRequestsPerCommit");
      return this;
    }

    public PostgresStorage build() {
      return new PostgresStorage(this);
    }

    private static int atLeastOne(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " < 1");
      }
      return value;
    }
  }
}
