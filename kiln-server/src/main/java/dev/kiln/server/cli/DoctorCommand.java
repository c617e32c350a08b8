package dev.kiln.server.cli;

import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.config.StorageFactory;
import dev.kiln.storage.jdbc.JdbcProfileStorage;
import dev.kiln.storage.jdbc.JdbcProfileStorage.Diagnosis;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./kiln doctor}: what the configured store is, whether it answers, whether its schema is
 * this build's and how its tables are laid out (one file, one PostgreSQL, or a Citus cluster with
 * its workers). It changes nothing, so it is safe against a store other nodes are serving from.
 */
@Command(
    name = "doctor",
    description =
        "Check the configured store without changing it: reachable, schema version, table layout"
            + " (exit 0 when all is well, 1 otherwise).")
public final class DoctorCommand implements Callable<Integer> {
  @ParentCommand KilnCommand kiln;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    KilnConfig config = kiln.config();
    try (JdbcProfileStorage storage = StorageFactory.create(config)) {
      Diagnosis diagnosis = storage.diagnose();
      print(diagnosis, spec.commandLine().getOut());
      return healthy(diagnosis) ? 0 : 1;
    }
  }

  private static boolean healthy(Diagnosis diagnosis) {
    return diagnosis.reachable().ok()
        && diagnosis.schemaVersion() != null
        && diagnosis.pending() == 0;
  }

  private static void print(Diagnosis diagnosis, PrintWriter out) {
    out.println("store:  " + diagnosis.store());
    if (!diagnosis.reachable().ok()) {
      out.println("status: unreachable: " + diagnosis.reachable().reason());
      return;
    }
    out.println("status: reachable");
    out.println("schema: " + schema(diagnosis));
    out.println("layout: " + diagnosis.layout());
  }

  private static String schema(Diagnosis diagnosis) {
    if (diagnosis.schemaVersion() == null) {
      return "empty (`kiln migrate` or `kiln serve` creates it)";
    }
    return "version "
        + diagnosis.schemaVersion()
        + (diagnosis.pending() == 0
            ? ", up to date"
            : ", " + diagnosis.pending() + " migrations to apply (`kiln migrate`)");
  }
}
