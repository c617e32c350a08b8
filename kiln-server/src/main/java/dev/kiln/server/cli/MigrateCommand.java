package dev.kiln.server.cli;

import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.server.config.KilnConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "migrate",
    description = "Apply the storage schema migrations, then exit (serve does this too).")
public final class MigrateCommand implements Callable<Integer> {
  @ParentCommand KilnCommand kiln;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    KilnConfig config = kiln.config();
    try (ProfileStorage ignored = kiln.openMigratedStorage(config)) {
      spec.commandLine()
          .getOut()
          .println(
              "Schema is up to date ("
                  + config.storage().kind().configName()
                  + ", data in "
                  + config.dataDir().toAbsolutePath().normalize()
                  + ")");
    }
    return 0;
  }
}
