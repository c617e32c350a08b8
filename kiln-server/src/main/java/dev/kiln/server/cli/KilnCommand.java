package dev.kiln.server.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kiln.core.KilnException;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.config.StorageFactory;
import dev.kiln.storage.jdbc.JdbcProfileStorage;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./kiln}: the server and its admin commands. */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    versionProvider = KilnCommand.Version.class,
    description = "Kiln: a self-hosted user-data platform that speaks Braze's REST API.",
    subcommands = {
      ServeCommand.class,
      MigrateCommand.class,
      KeysCommand.class,
      DoctorCommand.class
    })
public final class KilnCommand implements Runnable {
  private final Supplier<Map<String, String>> environment;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private KilnCommand(Supplier<Map<String, String>> environment) {
    this.environment = environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    int exitCode = execute(System::getenv, args);
    if (exitCode != ServeCommand.KEEP_RUNNING) {
      System.exit(exitCode);
    }
  }

  /** Runs a command line against the given environment; returns the exit code. */
  public static int execute(Supplier<Map<String, String>> environment, String... args) {
    return execute(
        environment,
        new PrintWriter(System.out, true, UTF_8),
        new PrintWriter(System.err, true, UTF_8),
        args);
  }

  /** Runs a command line with its own environment and output streams (for tests and embedding). */
  public static int execute(
      Supplier<Map<String, String>> environment, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new KilnCommand(environment));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof KilnException kiln) {
            cmd.getErr().println("kiln: " + kiln.getMessage());
            return 2;
          }
          throw e;
        });
    return commandLine.execute(args);
  }

  /** The configuration from this command line's environment and config file. */
  public KilnConfig config() {
    return KilnConfig.load(environment.get());
  }

  /** The configured storage with its schema brought up to date. */
  public JdbcProfileStorage openMigratedStorage(KilnConfig config) {
    JdbcProfileStorage storage = StorageFactory.create(config);
    try {
      storage.migrate();
      return storage;
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = KilnCommand.class.getPackage().getImplementationVersion();
      return new String[] {"kiln " + (version == null ? "development build" : version)};
    }
  }
}
