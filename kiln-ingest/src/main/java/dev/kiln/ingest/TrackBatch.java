package dev.kiln.ingest;

import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded /users/track request: the changes of its valid objects, in Braze's order (attributes,
 * events, purchases), how many valid objects each array sent had, and the invalid objects.
 *
 * @param valid the valid objects, each with where it was in the request
 * @param processed {@code attributes_processed} and friends, only for the arrays that were sent
 */
public record TrackBatch(
    List<ValidObject> valid, Map<String, Integer> processed, List<ObjectError> errors) {
  /**
   * A valid object's change, and its place in the request for an error entry should the store
   * refuse it.
   */
  public record ValidObject(String inputArray, int index, ProfileChange change) {}

  public TrackBatch {
    valid = List.copyOf(valid);
    processed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(processed));
    errors = List.copyOf(errors);
  }

  public List<ProfileChange> changes() {
    return valid.stream().map(ValidObject::change).toList();
  }

  public boolean hasValidObjects() {
    return !valid.isEmpty();
  }

  /** How many objects the request carried, valid or not. */
  public int objectCount() {
    return valid.size() + errors.size();
  }

  /**
   * The batch as applied: an object whose change the store refused (a number that would grow beyond
   * a double's range) becomes an error entry and no longer counts as processed.
   *
   * @param results one per change, in order
   */
  public TrackBatch applied(List<ChangeResult> results) {
    if (results.stream().noneMatch(ChangeResult::isRefused)) {
      return this;
    }
    List<ValidObject> stillValid = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>(processed);
    List<ObjectError> allErrors = new ArrayList<>(errors);
    for (int i = 0; i < valid.size(); i++) {
      ValidObject object = valid.get(i);
      if (results.get(i).isRefused()) {
        allErrors.add(
            new ObjectError(results.get(i).refusal(), object.inputArray(), object.index()));
        counts.merge(object.inputArray() + "_processed", -1, Integer::sum);
      } else {
        stillValid.add(object);
      }
    }
    allErrors.sort(
        Comparator.comparingInt(
                (ObjectError error) -> TrackDecoder.ARRAYS.indexOf(error.inputArray()))
            .thenComparingInt(ObjectError::index));
    return new TrackBatch(stillValid, counts, allErrors);
  }
}
