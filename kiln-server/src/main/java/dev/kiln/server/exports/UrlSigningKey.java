package dev.kiln.server.exports;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The key that signs download links: the operator's ({@code KILN_URL_SIGNING_KEY}), else a random
 * key created once in the data folder, readable by its owner only, so links stay valid across
 * restarts (and across nodes sharing the folder).
 */
final class UrlSigningKey {
  private static final String FILE = "url-signing.key";
  private static final int BYTES = 32;

  private UrlSigningKey() {}

  static byte[] load(Optional<String> configured, Path dataDir) {
    if (configured.isPresent()) {
      return configured.get().getBytes(StandardCharsets.UTF_8);
    }
    Path file = dataDir.resolve(FILE);
    try {
      OwnerOnlyFiles.createFolders(dataDir);
      createIfMissing(file);
      byte[] key = Files.readAllBytes(file);
      if (key.length < BYTES) {
        throw new KilnException(
            ErrorCode.INVALID_INPUT,
            file + " holds fewer than " + BYTES + " bytes; delete it to get a new key");
      }
      return key;
    } catch (IOException e) {
      throw new KilnException(
          ErrorCode.STORAGE_UNAVAILABLE, "cannot read or create the URL signing key " + file, e);
    }
  }

  /**
   * Writes a new key to a file of its own, then links it under the key's name, which fails if the
   * name exists: nodes starting together on a shared data folder all end up reading the one key
   * that won, and none ever reads a key half-written.
   */
  private static void createIfMissing(Path file) throws IOException {
    if (Files.exists(file)) {
      return; // made by an earlier start
    }
    byte[] key = new byte[BYTES];
    new SecureRandom().nextBytes(key);
    Path candidate =
        Files.createTempFile(
            file.getParent(), FILE, ".new"); // owner-only (600), as temporary files are
    try {
      Files.write(candidate, key);
      Files.createLink(file, candidate);
    } catch (FileAlreadyExistsException e) {
      // another node's key won
    } finally {
      Files.delete(candidate);
    }
  }
}
