package dev.kiln.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.CommandLineRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kiln} itself: its usage, its version, and the exit code 2 with a {@code kiln: } message
 * for a command line or setting it cannot run, before any store is opened.
 */
class KilnCommandTest {
  @TempDir Path dataDir;

  @Test
  void withoutACommandItShowsItsCommands() {
    CommandLineRun usage = CommandLineRun.kiln(Map.of());
    assertThat(usage.exitCode()).as("%s", usage).isZero();
    assertThat(usage.out()).contains("serve", "migrate", "keys");
  }

  @Test
  void itNamesItsVersion() {
    CommandLineRun version = CommandLineRun.kiln(Map.of(), "--version");
    assertThat(version.exitCode()).as("%s", version).isZero();
    assertThat(version.out()).startsWith("kiln ");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    CommandLineRun unknown = CommandLineRun.kiln(Map.of(), "bake");
    assertThat(unknown.exitCode()).as("%s", unknown).isEqualTo(2);
    assertThat(unknown.err()).contains("bake");
  }

  @Test
  void aBadSettingFailsWithAMessageNamingIt() throws IOException {
    CommandLineRun migrate =
        CommandLineRun.kiln(
            Map.of("KILN_DATA_DIR", dataDir.toString(), "KILN_STORAGE", "mongo"), "migrate");
    assertThat(migrate.exitCode()).as("%s", migrate).isEqualTo(2);
    assertThat(migrate.err()).startsWith("kiln: ").contains("KILN_STORAGE").contains("mongo");
    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(files).as("no store was opened").isEmpty();
    }
  }
}
