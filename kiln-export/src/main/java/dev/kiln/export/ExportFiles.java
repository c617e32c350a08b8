package dev.kiln.export;

import dev.kiln.core.export.ExportJob;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Names of an export's files. Braze names each file with 32 random hex characters; Kiln derives
 * them from the job and the file's number instead, so a file written again after a restart keeps
 * its name and replaces the earlier copy rather than adding a duplicate.
 */
public final class ExportFiles {
  /** Braze writes "generally" 5,000 users per file. */
  public static final int USERS_PER_FILE = 5_000;

  private ExportFiles() {}

  /** The name of file {@code index} (from 0), with the extension of the job's format. */
  public static String name(ExportJob job, int index) {
    return baseName(job, index) + job.spec().format().extension();
  }

  /** The name without extension; the {@code .json} inside a zip file carries it too. */
  static String baseName(ExportJob job, int index) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((job.objectPrefix() + "/" + index).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The names of files 0 to count - 1. */
  public static List<String> names(ExportJob job, int count) {
    return IntStream.range(0, count).mapToObj(index -> name(job, index)).toList();
  }
}
