package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Personal data is readable by Kiln's own user only: every folder Kiln makes in its data folder is
 * 700 and every file 600 (the database and its WAL and shared-memory files, the URL-signing key,
 * local exports), whatever the umask; folders and files left looser by an older version are
 * tightened at start.
 */
class ITDataFolderModes {

  @Test
  void everythingKilnWritesInAFreshDataFolderIsOwnerOnly() throws Exception {
    Path dataDir = Files.createTempDirectory("kiln-modes").resolve("data");
    try (RunningKiln kiln = RunningKiln.startOn(dataDir, Map.of())) {
      writeAndExport(kiln);
      assertOwnerOnly(dataDir);
    }
  }

  @Test
  void aDataFolderLeftReadableByOthersIsTightenedAtStart() throws Exception {
    Path dataDir = Files.createTempDirectory("kiln-modes").resolve("data");
    try (RunningKiln kiln = RunningKiln.startOn(dataDir, Map.of())) {
      writeAndExport(kiln);
    }
    try (Stream<Path> all = Files.walk(dataDir)) {
      for (Path path : all.toList()) {
        Files.setPosixFilePermissions(
            path,
            PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    try (RunningKiln kiln = RunningKiln.startOn(dataDir, Map.of())) {
      assertOwnerOnly(dataDir);
      writeAndExport(kiln);
      assertOwnerOnly(dataDir);
    }
  }

  private static void writeAndExport(RunningKiln kiln) {
    String cohort = "modes-" + System.nanoTime();
    Response tracked =
        kiln.post(
            "/users/track",
            """
        {"attributes":[{"external_id":"%s","first_name":"Ada","cohort":"%s"}]}"""
                .formatted(cohort, cohort));
    assertThat(tracked.status()).as("%s", tracked).isEqualTo(201);
    Response segment =
        kiln.post(
            "/segments/create",
            """
        {"name":"%s","filter":{"custom_attribute":"cohort","op":"equals","value":"%s"}}"""
                .formatted(cohort, cohort));
    assertThat(segment.status()).as("%s", segment).isEqualTo(201);
    Response export =
        kiln.post(
            "/users/export/segment",
            """
        {"segment_id":"%s","fields_to_export":["external_id"]}"""
                .formatted(segment.json().path("segment_id").asText()));
    assertThat(export.status()).as("%s", export).isEqualTo(201);
    awaitSucceeded(kiln, export.json().path("object_prefix").asText());
  }

  private static void awaitSucceeded(RunningKiln kiln, String objectPrefix) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (!kiln.get("/users/export/status?object_prefix=" + objectPrefix)
        .json()
        .path("state")
        .asText()
        .equals("succeeded")) {
      assertThat(Instant.now()).as("export %s succeeds", objectPrefix).isBefore(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static void assertOwnerOnly(Path dataDir) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      all = walk.toList();
    }
    assertThat(all)
        .as("the data folder holds the key and an export bundle")
        .anyMatch(path -> path.getFileName().toString().equals("url-signing.key"))
        .anyMatch(path -> path.getFileName().toString().equals("export.zip"));
    if (!RunningKiln.onPostgres()) {
      assertThat(all)
          .extracting(path -> path.getFileName().toString())
          .contains("kiln.db", "kiln.db-wal", "kiln.db-shm");
    }
    for (Path path : all) {
      String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
          .as("mode of %s", path)
          .isEqualTo(expected);
    }
  }
}
