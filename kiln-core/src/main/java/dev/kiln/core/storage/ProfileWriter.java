package dev.kiln.core.storage;

import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import java.util.List;

/** The write role of {@link ProfileStorage}. */
public interface ProfileWriter {

  /**
   * Applies the changes of one request in order, all or nothing, and returns only after they are
   * durably committed. Concurrent calls may share one transaction (group commit) but never see each
   * other's failures.
   *
   * @return one result per change, in order
   * @throws dev.kiln.core.KilnException {@code STORAGE_UNAVAILABLE} when nothing was committed
   */
  List<ChangeResult> apply(List<ProfileChange> changes);
}
