package dev.kiln.bench;

import dev.kiln.core.storage.ProfileStorage;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One scenario's store on one backend: the folder for the server's files, the settings that point
 * the server under test at the store ({@code KILN_STORAGE} and the like), and the store itself, for
 * loading a population straight into it from this JVM.
 */
record Store(Path dataDir, Map<String, String> serverSettings, Supplier<ProfileStorage> storage) {

  /** The store opened in this JVM, its schema migrated; the caller closes it. */
  ProfileStorage open() {
    ProfileStorage opened = storage.get();
    opened.migrate();
    return opened;
  }
}
