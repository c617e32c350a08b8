package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.FixedBackend;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQLite data folder on a small tmpfs (mounted by the test: CI runs as root) filled up until
 * writes fail, then freed: writes recover without a restart, /health says the store is failing
 * exactly while writes fail, and every acknowledged write is readable.
 */
@FixedBackend(
    "fills a SQLite data folder on a tmpfs of its own until writes fail: a SQLite file test")
class ITDiskFull {
  private static final int FILESYSTEM_KB = 6 * 1024;

  /**
   * Enough requests to outgrow whatever space the database and its WAL had spare when the disk
   * filled.
   */
  private static final int MAX_WRITES_UNTIL_FULL = 400;

  private Path mountPoint;

  @BeforeEach
  void mountSmallFilesystem() throws Exception {
    mountPoint = Files.createTempDirectory("kiln-disk-full");
    run(
        "mount",
        "-t",
        "tmpfs",
        "-o",
        "size=" + FILESYSTEM_KB + "k",
        "tmpfs",
        mountPoint.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    run("umount", "-l", mountPoint.toString());
    Files.delete(mountPoint);
  }

  @Test
  void writesRecoverOnceSpaceIsFreedAndHealthTellsWhileTheyFail() throws Exception {
    try (RunningKiln kiln =
        RunningKiln.startOn(mountPoint.resolve("data"), Map.of("KILN_STORAGE", "sqlite"))) {
      List<String> acknowledged = new ArrayList<>();
      int user = 0;
      assertTrackAcknowledged(kiln, "before-" + user++, acknowledged);

      Path filler = fill(mountPoint.resolve("filler"));
      Response refused = null;
      for (int i = 0; i < MAX_WRITES_UNTIL_FULL && refused == null; i++) {
        String externalId = "while-full-" + user++;
        Response response = track(kiln, externalId);
        if (response.status() == 201) {
          acknowledged.add(externalId);
        } else {
          refused = response;
        }
      }
      assertThat(refused).as("a write once the disk is full").isNotNull();
      String message = ErrorBodies.assertErrorMessage(refused, 503);
      assertThat(message).isNotBlank();
      for (int i = 0; i < 3; i++) {
        ErrorBodies.assertErrorMessage(track(kiln, "still-full-" + user++), 503);
      }
      Response unhealthy = health(kiln);
      assertThat(unhealthy.status()).as("/health while writes fail: %s", unhealthy).isEqualTo(503);
      assertThat(unhealthy.json().path("storage").path("reason").asText())
          .as("%s", unhealthy)
          .isNotBlank();
      ErrorBodies.assertNoLeaks(unhealthy);

      Files.delete(filler);
      for (int i = 0; i < 5; i++) {
        assertTrackAcknowledged(kiln, "after-" + user++, acknowledged);
      }
      Response healthy = health(kiln);
      assertThat(healthy.status())
          .as("/health once writes succeed again: %s", healthy)
          .isEqualTo(200);
      assertAllReadable(kiln, acknowledged);
    }
  }

  private static void assertTrackAcknowledged(
      RunningKiln kiln, String externalId, List<String> acknowledged) {
    Response response = track(kiln, externalId);
    assertThat(response.status()).as("tracking %s: %s", externalId, response).isEqualTo(201);
    acknowledged.add(externalId);
  }

  /** A user with about 8 KB of custom attributes, so the database grows quickly. */
  private static Response track(RunningKiln kiln, String externalId) {
    StringBuilder attributes =
        new StringBuilder("{\"external_id\":\"" + externalId + "\",\"first_name\":\"Ada\"");
    for (int i = 0; i < 32; i++) {
      attributes
          .append(",\"padding_")
          .append(i)
          .append("\":\"")
          .append(externalId.charAt(0))
          .append("x".repeat(250))
          .append('"');
    }
    return kiln.post("/users/track", "{\"attributes\":[" + attributes + "}]}");
  }

  private static void assertAllReadable(RunningKiln kiln, List<String> acknowledged) {
    for (int from = 0; from < acknowledged.size(); from += 50) {
      List<String> ids = acknowledged.subList(from, Math.min(acknowledged.size(), from + 50));
      Response exported =
          kiln.post(
              "/users/export/ids",
              "{\"external_ids\":[\""
                  + String.join("\",\"", ids)
                  + "\"],\"fields_to_export\":[\"external_id\",\"first_name\"]}");
      assertThat(exported.status()).as("%s", exported).isEqualTo(200);
      List<String> found = new ArrayList<>();
      for (JsonNode exportedUser : exported.json().path("users")) {
        assertThat(exportedUser.path("first_name").asText()).isEqualTo("Ada");
        found.add(exportedUser.path("external_id").asText());
      }
      assertThat(found).as("acknowledged users read back").containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  private static Response health(RunningKiln kiln) {
    return kiln.send(HttpRequest.newBuilder(kiln.uri("/health")).GET());
  }

  /** Writes a file until the filesystem has no space left. */
  private static Path fill(Path filler) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full.getMessage())
          .as("the filler stopped because the disk is full")
          .containsIgnoringCase("space");
    }
    return filler;
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finishes", List.of(command)).isTrue();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as("%s: %s", List.of(command), output).isZero();
  }
}
