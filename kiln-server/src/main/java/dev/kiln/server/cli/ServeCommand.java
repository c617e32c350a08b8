package dev.kiln.server.cli;

import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.server.KilnServer;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.storage.jdbc.JdbcProfileStorage;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    description = "Migrate the schema and serve the API (port: KILN_PORT, default 8080).")
public final class ServeCommand implements Callable<Integer> {
  /** The exit code that tells main() to leave the JVM running: the server threads keep it alive. */
  public static final int KEEP_RUNNING = -1;

  /** The name of the key that {@code KILN_API_KEY} provides. */
  public static final String BOOTSTRAP_KEY_NAME = "bootstrap";

  @ParentCommand KilnCommand kiln;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    KilnConfig config = kiln.config();
    JdbcProfileStorage storage = kiln.openMigratedStorage(config);
    config.bootstrapApiKey().ifPresent(secret -> ensureBootstrapKey(storage, secret.value()));
    KilnServer server = KilnServer.start(config, storage, Optional.of(storage));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "kiln-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Kiln listening on http://%s:%d (storage: %s, data: %s)%n",
        displayHost(config.http().host()),
        server.port(),
        config.storage().kind().configName(),
        config.dataDir().toAbsolutePath().normalize());
    out.flush();
    return KEEP_RUNNING;
  }

  /** KILN_API_KEY: a key with that secret and every permission exists while the server runs. */
  static void ensureBootstrapKey(ProfileStorage storage, String secret) {
    ApiKey key =
        ApiKey.create(
            BOOTSTRAP_KEY_NAME, EnumSet.allOf(Permission.class), List.of(), Instant.now());
    storage.apiKeys().replace(key, ApiKeySecrets.hash(secret));
  }

  private static String displayHost(String host) {
    return host.equals("0.0.0.0") ? "localhost" : host;
  }
}
