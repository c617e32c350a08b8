package dev.kiln.server.exports;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The key that signs download links: the operator's ({@code KILN_URL_SIGNING_KEY}), else a random
 * key created once in the data folder, readable by its owner only, so links stay valid across restarts.
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
      Files.createDirectories(dataDir);
      createIfMissing(file);
      byte[] key = Files.readAllBytes(file);
      if (key.length < BYTES) {
        throw new KilnException(ErrorCode.INVALID_INPUT, file + " holds fewer than " + BYTES + " bytes; delete it to get a new key");
      }
      return key;
    } catch (IOException e) {
      throw new KilnException(ErrorCode.STORAGE_UNAVAILABLE, "cannot read or create the URL signing key " + file, e);
    }
  }

  private static void createIfMissing(Path file) throws IOException {
    byte[] key = new byte[BYTES];
    new SecureRandom().nextBytes(key);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return; // made by an earlier start
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system
    }
    Files.write(file, key);
  }
}
