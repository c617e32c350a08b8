package dev.kiln.server.segments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.server.http.Json;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code KILN_SEGMENTS_FILE}: segments checked in with an application's code, created or updated by
 * name when Kiln starts. The file is a JSON array of {@code {"name", "description"?, "tags"?,
 * "filter"}}. A bad entry stops the start with a message naming the file and the entry.
 */
public final class SegmentsFile {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentsFile.class);

  private SegmentsFile() {}

  public static void apply(Path file, SegmentService segments) {
    JsonNode entries = read(file);
    for (int index = 0; index < entries.size(); index++) {
      try {
        applyEntry(entries.get(index), segments);
      } catch (KilnException e) {
        throw new KilnException(
            ErrorCode.INVALID_INPUT, file + " [" + index + "]: " + e.getMessage(), e);
      }
    }
    LOG.info("Applied {} segments from {}", entries.size(), file);
  }

  private static void applyEntry(JsonNode entry, SegmentService segments) {
    if (!entry.isObject()) {
      throw new KilnException(
          ErrorCode.INVALID_INPUT, "each segment must be an object with a 'name' and a 'filter'");
    }
    SegmentService.Draft draft = SegmentDrafts.read(entry, true);
    segments
        .activeByName(draft.name())
        .ifPresentOrElse(
            existing -> segments.update(existing.id(), draft), () -> segments.create(draft));
  }

  private static JsonNode read(Path file) {
    try {
      JsonNode root = Json.MAPPER.readTree(file.toFile());
      if (root == null || !root.isArray()) {
        throw new KilnException(
            ErrorCode.INVALID_INPUT, file + " must hold a JSON array of segments");
      }
      return root;
    } catch (IOException e) {
      throw new KilnException(
          ErrorCode.INVALID_INPUT, "cannot read the segments file " + file + " as JSON", e);
    }
  }
}
