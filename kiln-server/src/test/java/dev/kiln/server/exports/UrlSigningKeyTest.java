package dev.kiln.server.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.KilnException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrlSigningKeyTest {
  @TempDir Path dataDir;

  @Test
  void theOperatorsKeyWins() {
    byte[] key = UrlSigningKey.load(Optional.of("an-operator-key-of-32-characters!"), dataDir);

    assertThat(new String(key, StandardCharsets.UTF_8))
        .isEqualTo("an-operator-key-of-32-characters!");
    assertThat(dataDir.resolve("url-signing.key")).doesNotExist();
  }

  @Test
  void aCreatedKeyIsKeptAcrossRestartsAndReadableByItsOwnerOnly() throws Exception {
    byte[] first = UrlSigningKey.load(Optional.empty(), dataDir);
    byte[] again = UrlSigningKey.load(Optional.empty(), dataDir);

    assertThat(first).hasSize(32).isEqualTo(again);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve("url-signing.key"))))
        .isEqualTo("rw-------");
  }

  /**
   * Nodes starting together on one shared data folder must sign with one key, or links of one fail
   * on the others.
   */
  @Test
  void nodesStartingTogetherOnASharedFolderAllReadTheSameKey() throws Exception {
    int nodes = 16;
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<byte[]>> loads = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      loads.add(
          () -> {
            start.await();
            return UrlSigningKey.load(Optional.empty(), dataDir);
          });
    }
    ExecutorService threads = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<byte[]>> keys = loads.stream().map(threads::submit).toList();
      start.countDown();
      Set<String> distinct = new HashSet<>();
      for (Future<byte[]> key : keys) {
        distinct.add(Arrays.toString(key.get()));
      }
      assertThat(distinct).as("distinct keys read by %d nodes", nodes).hasSize(1);
    } finally {
      threads.shutdownNow();
    }
    try (var files = Files.list(dataDir)) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .as("no candidate key left behind")
          .containsExactly("url-signing.key");
    }
  }

  @Test
  void aTruncatedKeyFileStopsTheStartSayingWhatToDo() throws Exception {
    Files.write(dataDir.resolve("url-signing.key"), new byte[] {1, 2, 3});

    assertThatThrownBy(() -> UrlSigningKey.load(Optional.empty(), dataDir))
        .isInstanceOf(KilnException.class)
        .hasMessageContaining("fewer than 32 bytes; delete it to get a new key");
  }
}
