package dev.kiln.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stopping an evaluation from another thread: listeners run once, closed ones never, late ones at
 * once.
 */
class CancellationTest {
  private final List<String> ran = new ArrayList<>();
  private final Cancellation cancellation = Cancellation.never();

  @Test
  void cancelRunsEveryRegisteredListenerOnce() {
    cancellation.onCancel(() -> ran.add("first"));
    cancellation.onCancel(() -> ran.add("second"));

    cancellation.cancel();
    cancellation.cancel();

    assertThat(ran).containsExactly("first", "second");
  }

  @Test
  void aClosedRegistrationIsNotRun() {
    Cancellation.Registration closed = cancellation.onCancel(() -> ran.add("closed"));
    cancellation.onCancel(() -> ran.add("open"));
    closed.close();

    cancellation.cancel();

    assertThat(ran).containsExactly("open");
  }

  @Test
  void aListenerRegisteredAfterCancelRunsAtOnce() {
    cancellation.cancel();

    cancellation.onCancel(() -> ran.add("late")).close();

    assertThat(ran).containsExactly("late");
  }

  @Test
  void nothingRunsUntilCancelled() {
    cancellation.onCancel(() -> ran.add("waiting"));

    assertThat(ran).isEmpty();
  }
}
