package dev.kiln.storage.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.OwnerOnlyFiles;
import dev.kiln.storage.jdbc.EvaluationTimeouts;
import dev.kiln.storage.jdbc.JdbcProfileStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded default: one SQLite database file in the data folder, in WAL mode so reads never
 * wait for the writer. Exactly one connection writes, and the group commit makes it carry many
 * requests per transaction; {@code synchronous=FULL} makes every commit survive power loss, not
 * only a crash.
 */
public final class SqliteStorage extends JdbcProfileStorage {
  static final String DATABASE_FILE = "kiln.db";

  private final Path dataDir;
  private final int readConnections;
  private final int evaluationConnections;

  private SqliteStorage(Builder builder) {
    super(
        new SqliteDialect(),
        builder.clock,
        builder.maxRequestsPerCommit,
        builder.evaluationTimeouts);
    this.dataDir = builder.dataDir;
    this.readConnections = builder.readConnections;
    this.evaluationConnections = builder.evaluationConnections;
  }

  public static Builder newBuilder(Path dataDir) {
    return new Builder(dataDir);
  }

  public Path databaseFile() {
    return dataDir.resolve(DATABASE_FILE);
  }

  @Override
  protected String describe() {
    return "SQLite database " + databaseFile();
  }

  @Override
  protected String describeLayout(Connection connection) {
    return "one SQLite database file, one writer at a time (one Kiln node)";
  }

  @Override
  protected Pools openPools() {
    try {
      OwnerOnlyFiles.createFolders(dataDir);
      // SQLite gives its WAL and shared-memory files the database file's mode, so all three are
      // owner-only.
      OwnerOnlyFiles.createFileIfMissing(databaseFile());
    } catch (IOException e) {
      throw new KilnException(
          ErrorCode.STORAGE_UNAVAILABLE, "cannot create the data folder " + dataDir, e);
    }
    return new Pools(
        pool("kiln-sqlite-read", readConnections, true),
        pool("kiln-sqlite-write", 1, false),
        pool("kiln-sqlite-segments", evaluationConnections, true));
  }

  private HikariDataSource pool(String name, int size, boolean readOnly) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    sqlite.setBusyTimeout(
        30_000); // another process (./kiln keys ...) may hold the write lock briefly
    sqlite.enforceForeignKeys(true);
    if (!readOnly) {
      // A write transaction takes the write lock when it begins, where the busy timeout waits for
      // another process's writer. Begun DEFERRED, it would read first and then fail at once with
      // SQLITE_BUSY on its first write, the busy timeout unused (two storages on one file).
      sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    SQLiteDataSource dataSource = new RegexpDataSource(sqlite);
    dataSource.setUrl("jdbc:sqlite:" + databaseFile());

    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setDataSource(dataSource);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    // Fail on first use rather than at start, so a bad data folder shows in /health, not as a
    // crash.
    config.setInitializationFailTimeout(-1);
    if (readOnly) {
      config.setConnectionInitSql("PRAGMA query_only = true");
    }
    return new HikariDataSource(config);
  }

  /** Every connection gets the REGEXP function segment filters use. */
  private static final class RegexpDataSource extends SQLiteDataSource {
    RegexpDataSource(SQLiteConfig config) {
      super(config);
    }

    @Override
    public SQLiteConnection getConnection(String user, String password) throws SQLException {
      SQLiteConnection connection = super.getConnection(user, password);
      RegexpFunction.register(connection);
      return connection;
    }
  }

  public static final class Builder {
    private final Path dataDir;
    private Clock clock = Clock.systemUTC();
    private int readConnections = 4;
    private int evaluationConnections = 3;
    private EvaluationTimeouts evaluationTimeouts = EvaluationTimeouts.DEFAULTS;
    private int maxRequestsPerCommit = 256;

    private Builder(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir == null");
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    public Builder readConnections(int readConnections) {
      if (readConnections < 1) {
        throw new IllegalArgumentException("readConnections < 1");
      }
      this.readConnections = readConnections;
      return this;
    }

    /** Connections that evaluate segments (sizes and exports), apart from the read pool. */
    public Builder evaluationConnections(int evaluationConnections) {
      if (evaluationConnections < 1) {
        throw new IllegalArgumentException("evaluationConnections < 1");
      }
      this.evaluationConnections = evaluationConnections;
      return this;
    }

    public Builder evaluationTimeouts(EvaluationTimeouts evaluationTimeouts) {
      this.evaluationTimeouts =
          Objects.requireNonNull(evaluationTimeouts, "evaluationTimeouts == null");
      return this;
    }

    /** How many requests one transaction may carry at most. */
    public Builder maxRequestsPerCommit(int maxRequestsPerCommit) {
      if (maxRequestsPerCommit < 1) {
        throw new IllegalArgumentException("maxRequestsPerCommit < 1");
      }
      this.maxRequestsPerCommit = maxRequestsPerCommit;
      return this;
    }

    public SqliteStorage build() {
      return new SqliteStorage(this);
    }
  }
}
