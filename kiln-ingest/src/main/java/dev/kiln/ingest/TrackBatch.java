package dev.kiln.ingest;

import dev.kiln.core.profile.ProfileChange;
import java.util.List;
import java.util.Map;

/**
 * A decoded /users/track request: the changes of its valid objects, in Braze's order (attributes,
 * events, purchases), how many valid objects each array sent had, and the invalid objects.
 *
 * @param processed {@code attributes_processed} and friends, only for the arrays that were sent
 */
public record TrackBatch(List<ProfileChange> changes, Map<String, Integer> processed, List<ObjectError> errors) {
  public TrackBatch {
    changes = List.copyOf(changes);
    processed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(processed));
    errors = List.copyOf(errors);
  }

  public boolean hasValidObjects() {
    return !changes.isEmpty();
  }

  /** How many objects the request carried, valid or not. */
  public int objectCount() {
    return changes.size() + errors.size();
  }
}
