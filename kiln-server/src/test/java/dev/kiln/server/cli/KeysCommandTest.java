package dev.kiln.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.CommandLineRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kiln keys}' arguments: each bad one is a usage error (exit code 2) naming it, refused
 * before the store is opened, so the data folder stays empty. ITKeysCommand keeps what the store
 * and a server on it show.
 */
class KeysCommandTest {
  @TempDir Path dataDir;

  private CommandLineRun kiln(String... args) {
    return CommandLineRun.kiln(Map.of("KILN_DATA_DIR", dataDir.toString()), args);
  }

  /** A usage error, nothing on stdout, and nothing written to the data folder. */
  private CommandLineRun refused(String... args) {
    CommandLineRun run = kiln(args);
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.out()).as("stdout").isEmpty();
    assertThat(dataFolder()).as("the data folder after a refused command").isEmpty();
    return run;
  }

  /** {@code keys create} of a valid name and permission, with one more option, refused. */
  private CommandLineRun refusedCreate(String option, String value) {
    return refused("keys", "create", "--name", "ci", "--permissions", "users.track", option, value);
  }

  private List<Path> dataFolder() {
    try (Stream<Path> files = Files.list(dataDir)) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void anUnknownPermissionIsRefusedNamingItAndTheKnownOnes() {
    assertThat(
            refused("keys", "create", "--name", "ci", "--permissions", "users.track,users.teleport")
                .err())
        .contains("users.teleport")
        .contains("users.export.ids")
        .contains("segments.list");
  }

  @Test
  void aBadIpRangeIsRefused() {
    for (String bad : new String[] {"10.0.0.0/33", "not-an-ip", "example.com"}) {
      assertThat(refusedCreate("--allowed-ips", bad).err())
          .as("--allowed-ips %s", bad)
          .contains(bad);
    }
  }

  @Test
  void aMissingRequiredOptionIsAUsageError() {
    assertThat(refused("keys", "create", "--name", "ci").err()).contains("--permissions");
    assertThat(refused("keys", "create", "--permissions", "users.track").err()).contains("--name");
    assertThat(refused("keys", "revoke").err()).contains("name");
  }

  @Test
  void aBlankNameOrOneWithACommaIsRefused() {
    for (String bad : new String[] {" ", "a,b"}) {
      assertThat(refused("keys", "create", "--name", bad, "--permissions", "users.track").err())
          .as("--name '%s'", bad)
          .contains("--name must be a non-empty name without commas");
    }
  }

  @Test
  void aBadRateLimitIsRefusedNamingIt() {
    CommandLineRun badGroup = refusedCreate("--rate-limits", "users.trak=5/1s");
    assertThat(badGroup.err()).contains("users.trak").contains("users.track");
    assertThat(refused("keys", "rate-limits", "ci", "users.track=lots").err())
        .contains("'lots' is not a rate limit");
  }

  @Test
  void keysAloneShowsItsSubcommands() {
    CommandLineRun usage = kiln("keys");
    assertThat(usage.exitCode()).as("%s", usage).isZero();
    assertThat(usage.out()).contains("create", "list", "revoke", "rate-limits");
  }
}
