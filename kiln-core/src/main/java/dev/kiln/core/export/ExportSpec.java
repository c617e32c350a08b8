package dev.kiln.core.export;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a segment export writes, fixed when it is requested.
 *
 * @param fields the fields of each user object (empty: all, as /users/export/ids)
 * @param customAttributes the custom attributes to export when {@code fields} does not ask for all
 *     of them; empty exports none
 * @param format how each file is compressed
 * @param callbackEndpoint where to POST when the export is ready, or null
 */
public record ExportSpec(
    Set<String> fields, Set<String> customAttributes, ExportFormat format, URI callbackEndpoint) {
  public ExportSpec {
    fields = Set.copyOf(fields);
    customAttributes = Set.copyOf(customAttributes);
    Objects.requireNonNull(format, "format == null");
  }

  public Optional<URI> callback() {
    return Optional.ofNullable(callbackEndpoint);
  }
}
