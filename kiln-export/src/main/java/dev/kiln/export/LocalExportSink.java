package dev.kiln.export;

import dev.kiln.core.OwnerOnlyFiles;
import dev.kiln.core.export.ExportJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Kiln's own storage of exports: a folder per export under {@code <data>/exports}. When every file
 * is written they are bundled into one ZIP, which the signed URL serves, as Braze's URL gives "a
 * zip file containing all the user files". The files are already compressed, so the bundle stores
 * them as they are rather than compressing them again.
 */
public final class LocalExportSink implements ExportSink {
  private static final String BUNDLE = "export.zip";
  // object_prefix is <uuid>-<unix seconds>: nothing else may name a folder (no path tricks).
  private static final Pattern OBJECT_PREFIX =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9]{1,19}");

  private final Path root;

  public LocalExportSink(Path root) {
    this.root = root;
  }

  @Override
  public boolean ownStorage() {
    return false;
  }

  @Override
  public void store(ExportJob job, String fileName, Path file) throws IOException {
    Path folder = OwnerOnlyFiles.createFolders(folder(job.objectPrefix()));
    Files.move(
        file,
        folder.resolve(fileName),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void complete(ExportJob job, List<String> fileNames) throws IOException {
    Path folder = OwnerOnlyFiles.createFolders(folder(job.objectPrefix()));
    if (Files.exists(folder.resolve(BUNDLE))
        && fileNames.stream().noneMatch(name -> Files.exists(folder.resolve(name)))) {
      return; // bundled before a restart, which came before the job could record it
    }
    Path partial = folder.resolve(BUNDLE + ".partial");
    try (ZipOutputStream bundle = new ZipOutputStream(OwnerOnlyFiles.newFile(partial))) {
      for (String name : fileNames) {
        addStored(bundle, folder.resolve(name), name);
      }
    }
    // Only a complete bundle gets its name: a crash while bundling leaves nothing half-written to
    // serve.
    Files.move(
        partial,
        folder.resolve(BUNDLE),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    for (String name : fileNames) {
      Files.deleteIfExists(folder.resolve(name));
    }
  }

  @Override
  public void discard(ExportJob job) throws IOException {
    delete(job.objectPrefix());
  }

  /** The bundle of a finished export, if this node holds it. */
  public Optional<Path> bundle(String objectPrefix) {
    if (!OBJECT_PREFIX.matcher(objectPrefix).matches()) {
      return Optional.empty();
    }
    Path bundle = folder(objectPrefix).resolve(BUNDLE);
    return Files.isRegularFile(bundle) ? Optional.of(bundle) : Optional.empty();
  }

  /** The exports this node holds files of. */
  public List<String> objectPrefixes() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> folders = Files.list(root)) {
      return folders
          .map(folder -> folder.getFileName().toString())
          .filter(name -> OBJECT_PREFIX.matcher(name).matches())
          .sorted()
          .toList();
    }
  }

  /** Deletes every file of an export. */
  public void delete(String objectPrefix) throws IOException {
    Path folder = folder(objectPrefix);
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  private Path folder(String objectPrefix) {
    if (!OBJECT_PREFIX.matcher(objectPrefix).matches()) {
      throw new IllegalArgumentException("not an object_prefix: " + objectPrefix);
    }
    return root.resolve(objectPrefix);
  }

  /**
   * A STORED entry needs its size and CRC before its bytes: one pass to compute them, one to copy.
   */
  private static void addStored(ZipOutputStream bundle, Path file, String name) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(Files.size(file));
    entry.setCompressedSize(Files.size(file));
    entry.setCrc(crc(file));
    bundle.putNextEntry(entry);
    Files.copy(file, bundle);
    bundle.closeEntry();
  }

  private static long crc(Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        crc.update(buffer, 0, read);
      }
    }
    return crc.getValue();
  }
}
