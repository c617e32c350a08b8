package dev.kiln.storage.jdbc;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeyStore;
import dev.kiln.core.auth.IpRange;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitGroup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * API keys in the {@code api_keys} table. Permissions and IP ranges are stored as comma lists, a
 * key's own rate limits as {@code group=limit} pairs such as {@code users.track=unlimited}.
 */
final class JdbcApiKeyStore implements ApiKeyStore {
  private static final String COLUMNS =
      "name, permissions, allowed_ips, created_at, revoked_at, rate_limits";

  private final DataSource reads;
  private final WritePool writes;
  private final JdbcDialect dialect;
  private final Clock clock;

  JdbcApiKeyStore(DataSource reads, WritePool writes, JdbcDialect dialect, Clock clock) {
    this.reads = reads;
    this.writes = writes;
    this.dialect = dialect;
    this.clock = clock;
  }

  @Override
  public void create(ApiKey key, String secretHash) {
    try {
      writes.inTransaction(
          connection -> {
            insert(connection, key, secretHash);
            return null;
          });
    } catch (SQLException e) {
      if (dialect.isUniqueViolation(e)) {
        throw new KilnException(
            ErrorCode.CONFLICT, "an active API key named '" + key.name() + "' already exists", e);
      }
      throw StorageFailures.unavailable("create the API key", e);
    }
  }

  @Override
  public Optional<ApiKey> findActive(String secretHash) {
    String sql =
        "SELECT " + COLUMNS + " FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL";
    try {
      return Transactions.readOnly(
          reads,
          connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
              statement.setString(1, secretHash);
              try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(toApiKey(rows)) : Optional.<ApiKey>empty();
              }
            }
          });
    } catch (SQLException e) {
      throw StorageFailures.unavailable("look up the API key", e);
    }
  }

  @Override
  public List<ApiKey> list() {
    String sql = "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, key_id";
    try {
      return Transactions.readOnly(
          reads,
          connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
              List<ApiKey> keys = new ArrayList<>();
              while (rows.next()) {
                keys.add(toApiKey(rows));
              }
              return keys;
            }
          });
    } catch (SQLException e) {
      throw StorageFailures.unavailable("list the API keys", e);
    }
  }

  @Override
  public boolean revoke(String name) {
    try {
      return writes.inTransaction(connection -> revokeActive(connection, name) > 0);
    } catch (SQLException e) {
      throw StorageFailures.unavailable("revoke the API key", e);
    }
  }

  @Override
  public boolean setRateLimits(String name, Map<RateLimitGroup, RateLimit> limits) {
    String sql = "UPDATE api_keys SET rate_limits = ? WHERE name = ? AND revoked_at IS NULL";
    try {
      return writes.inTransaction(
          connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
              statement.setString(1, RateLimitGroup.formatLimits(limits));
              statement.setString(2, name);
              return statement.executeUpdate() > 0;
            }
          });
    } catch (SQLException e) {
      throw StorageFailures.unavailable("set the API key's rate limits", e);
    }
  }

  @Override
  public void replace(ApiKey key, String secretHash) {
    try {
      writes.inTransaction(
          connection -> {
            if (!sameActiveKeyExists(connection, key, secretHash)) {
              revokeActive(connection, key.name());
              revokeSecret(connection, secretHash);
              insert(connection, key, secretHash);
            }
            return null;
          });
    } catch (SQLException e) {
      throw StorageFailures.unavailable("store the bootstrap API key", e);
    }
  }

  private boolean sameActiveKeyExists(Connection connection, ApiKey key, String secretHash)
      throws SQLException {
    String sql =
        "SELECT permissions, allowed_ips FROM api_keys WHERE name = ? AND secret_hash = ? AND revoked_at IS NULL";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, key.name());
      statement.setString(2, secretHash);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next()
            && rows.getString(1).equals(joinPermissions(key))
            && rows.getString(2).equals(joinRanges(key));
      }
    }
  }

  private void insert(Connection connection, ApiKey key, String secretHash) throws SQLException {
    String sql =
        "INSERT INTO api_keys (name, secret_hash, permissions, allowed_ips, created_at, revoked_at, rate_limits)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, key.name());
      statement.setString(2, secretHash);
      statement.setString(3, joinPermissions(key));
      statement.setString(4, joinRanges(key));
      statement.setLong(5, key.createdAt().toEpochMilli());
      if (key.revokedAt() == null) {
        statement.setNull(6, Types.BIGINT);
      } else {
        statement.setLong(6, key.revokedAt().toEpochMilli());
      }
      statement.setString(7, RateLimitGroup.formatLimits(key.rateLimits()));
      statement.executeUpdate();
    }
  }

  private int revokeActive(Connection connection, String name) throws SQLException {
    return revokeWhere(connection, "name", name);
  }

  private int revokeSecret(Connection connection, String secretHash) throws SQLException {
    return revokeWhere(connection, "secret_hash", secretHash);
  }

  private int revokeWhere(Connection connection, String column, String value) throws SQLException {
    String sql =
        "UPDATE api_keys SET revoked_at = ? WHERE " + column + " = ? AND revoked_at IS NULL";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, clock.millis());
      statement.setString(2, value);
      return statement.executeUpdate();
    }
  }

  private static ApiKey toApiKey(ResultSet row) throws SQLException {
    long revokedAt = row.getLong("revoked_at");
    boolean revoked = !row.wasNull();
    return new ApiKey(
        row.getString("name"),
        splitList(row.getString("permissions")).stream()
            .map(Permission::fromName)
            .collect(Collectors.toSet()),
        splitList(row.getString("allowed_ips")).stream().map(IpRange::parse).toList(),
        Instant.ofEpochMilli(row.getLong("created_at")),
        revoked ? Instant.ofEpochMilli(revokedAt) : null,
        RateLimitGroup.parseLimits(row.getString("rate_limits")));
  }

  private static String joinPermissions(ApiKey key) {
    return key.permissions().stream()
        .map(Permission::permissionName)
        .sorted()
        .collect(Collectors.joining(","));
  }

  private static String joinRanges(ApiKey key) {
    return key.allowedIps().stream().map(IpRange::toString).collect(Collectors.joining(","));
  }

  private static List<String> splitList(String joined) {
    return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
  }
}
