package dev.kiln.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Folders (700) and files (600) that only Kiln's own user can read: the data folder holds personal
 * data. The mode is given at creation, not set afterwards, so there is no moment at which another
 * user could open the file; the umask only ever removes bits, so it cannot loosen these. On a file
 * system without POSIX modes, files are created as the system does.
 */
public final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /** The folder and any missing parent, created owner-only; an existing folder is left as it is. */
  public static Path createFolders(Path folder) throws IOException {
    return posix(folder)
        ? Files.createDirectories(folder, attribute(FOLDER))
        : Files.createDirectories(folder);
  }

  /** Creates the file, empty and owner-only, unless it exists. */
  public static void createFileIfMissing(Path file) throws IOException {
    try {
      if (posix(file)) {
        Files.createFile(file, attribute(FILE));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      // made by an earlier start
    }
  }

  /**
   * The file to write from its start, created owner-only if missing (an existing file keeps its
   * mode).
   */
  public static OutputStream newFile(Path file) throws IOException {
    Set<StandardOpenOption> options =
        Set.of(
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    return Channels.newOutputStream(
        posix(file)
            ? Files.newByteChannel(file, options, attribute(FILE))
            : Files.newByteChannel(file, options));
  }

  /**
   * Makes every folder and file under {@code root} (itself included) that others could read or
   * enter owner-only, as a data folder written by an older version or copied in with a looser umask
   * can be. Answers what it changed, for the caller to log. A file deleted meanwhile (another node
   * sharing the folder sweeps an expired export) is passed over, and so are symbolic links.
   */
  public static List<Path> tighten(Path root) throws IOException {
    List<Path> tightened = new ArrayList<>();
    if (!Files.exists(root) || !posix(root)) {
      return tightened;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes)
              throws IOException {
            tighten(folder, FOLDER);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            // an operator's link: changing a mode would change its target's
            if (!attributes.isSymbolicLink()) {
              tighten(file, FILE);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          private void tighten(Path path, Set<PosixFilePermission> wanted) throws IOException {
            try {
              if (!wanted.containsAll(Files.getPosixFilePermissions(path))) {
                Files.setPosixFilePermissions(path, wanted);
                tightened.add(path);
              }
            } catch (NoSuchFileException gone) {
              // deleted since it was listed
            }
          }
        });
    return tightened;
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
    return PosixFilePermissions.asFileAttribute(mode);
  }
}
