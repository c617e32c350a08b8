package dev.kiln.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {
  @TempDir Path temp;

  @Test
  void foldersAndFilesAreCreatedOwnerOnlyParentsIncluded() throws IOException {
    Path folder = OwnerOnlyFiles.createFolders(temp.resolve("a/b"));
    OwnerOnlyFiles.createFileIfMissing(folder.resolve("empty"));
    try (OutputStream out = OwnerOnlyFiles.newFile(folder.resolve("written"))) {
      out.write(1);
    }

    assertThat(mode(temp.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(folder)).isEqualTo("rwx------");
    assertThat(mode(folder.resolve("empty"))).isEqualTo("rw-------");
    assertThat(mode(folder.resolve("written"))).isEqualTo("rw-------");
    assertThat(Files.readAllBytes(folder.resolve("written"))).containsExactly(1);
  }

  @Test
  void tightenMakesWhatOthersCouldReadOwnerOnlyAndLeavesLinkedTargetsAlone() throws IOException {
    Path root =
        Files.createDirectories(
                temp.resolve("data/exports"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")))
            .getParent();
    Path loose = Files.writeString(root.resolve("kiln.db"), "x");
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
    Path tight = Files.writeString(root.resolve("exports/bundle"), "x");
    Files.setPosixFilePermissions(tight, PosixFilePermissions.fromString("rw-------"));
    Path outside = Files.writeString(temp.resolve("outside"), "x");
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
    Files.createSymbolicLink(root.resolve("link"), outside);

    assertThat(OwnerOnlyFiles.tighten(root))
        .containsExactlyInAnyOrder(root, root.resolve("exports"), loose);
    assertThat(mode(root)).isEqualTo("rwx------");
    assertThat(mode(loose)).isEqualTo("rw-------");
    assertThat(mode(outside)).as("a link's target").isEqualTo("rw-r--r--");
    assertThat(OwnerOnlyFiles.tighten(root)).as("a second start").isEmpty();
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
