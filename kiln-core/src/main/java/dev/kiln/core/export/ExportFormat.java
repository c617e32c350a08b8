package dev.kiln.core.export;

/** How each file of a segment export is compressed (Braze's {@code output_format}). */
public enum ExportFormat {
  /** A {@code .zip} holding one {@code .json} file of newline-delimited users. */
  ZIP("zip", ".zip"),
  /** A {@code .gz} of newline-delimited users. */
  GZIP("gzip", ".gz");

  private final String jsonName;
  private final String extension;

  ExportFormat(String jsonName, String extension) {
    this.jsonName = jsonName;
    this.extension = extension;
  }

  /** The name Braze's API uses. */
  public String jsonName() {
    return jsonName;
  }

  /** The file name extension, with its dot. */
  public String extension() {
    return extension;
  }
}
