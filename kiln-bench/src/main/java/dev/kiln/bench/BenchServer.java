package dev.kiln.bench;

import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitGroup;
import dev.kiln.server.KilnServer;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.config.StorageFactory;
import dev.kiln.storage.jdbc.JdbcProfileStorage;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The server under test, run in its own JVM so its CPU time is measured apart from the load
 * generator's. Prints {@code PORT <n>} once it listens, then serves until killed.
 *
 * <p>Arguments: {@code store|parse-only <data dir> <api key>}. Which store it serves comes in the
 * environment ({@code KILN_STORAGE}, {@code KILN_POSTGRES_URL}), as the real server reads it: a
 * PostgreSQL URL may carry a password, which a command line would show to every user of the
 * machine.
 */
public final class BenchServer {
  static final String READY = "PORT ";

  /**
   * The bench key's limits: far above any load this machine makes, so every request is counted (the
   * cost of counting is in the figures, shared buckets on PostgreSQL included) and none is refused.
   */
  private static final Map<RateLimitGroup, RateLimit> NEVER_REACHED =
      Arrays.stream(RateLimitGroup.values())
          .collect(Collectors.toMap(group -> group, group -> RateLimit.parse("1000000/1s")));

  private BenchServer() {}

  public static void main(String[] args) {
    boolean parseOnly = args[0].equals("parse-only");
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "KILN_DATA_DIR",
                args[1],
                "KILN_PORT",
                "0",
                "KILN_HOST",
                "127.0.0.1",
                "KILN_CONFIG",
                "/dev/null",
                "KILN_MAX_BODY_BYTES",
                "16777216"));
    System.getenv()
        .forEach(
            (name, value) -> {
              if (name.startsWith("KILN_")) {
                settings.put(name, value);
              }
            });
    KilnConfig config = KilnConfig.load(settings);
    JdbcProfileStorage store = StorageFactory.create(config);
    store.migrate();
    store
        .apiKeys()
        .replace(
            ApiKey.create("bench", EnumSet.allOf(Permission.class), List.of(), Instant.now()),
            ApiKeySecrets.hash(args[2]));
    store.apiKeys().setRateLimits("bench", NEVER_REACHED);
    KilnServer server =
        parseOnly
            ? KilnServer.start(config, new ParseOnlyStorage(store), Optional.empty())
            : KilnServer.start(config, store, Optional.of(store));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println(READY + server.port());
    System.out.flush();
  }
}
