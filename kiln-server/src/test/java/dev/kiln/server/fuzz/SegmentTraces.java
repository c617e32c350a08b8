package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Property 3 (defined in {@link dev.kiln.server.fuzz}) for the segment endpoints: a request changes
 * exactly the segment its success names, and a refused one changes none. What a try changed is read
 * from the store: the segments whose {@code updated_at} or {@code archived_at} is at or after the
 * try's first millisecond (creating a segment stamps both its times, updating stamps {@code
 * updated_at}, deleting {@code archived_at}).
 */
final class SegmentTraces {
  private SegmentTraces() {}

  /**
   * A 201 stores one new, active segment with the id answered and the name sent; anything else
   * none.
   */
  static void checkCreate(FuzzSuite.Sent sent) {
    if (refusedAndChangedNothing(sent, 201)) {
      return;
    }
    Exchange exchange = sent.exchange();
    String name = exchange.sentObject().orElseThrow().path("name").textValue();
    assertThat(sent.segmentsTouched())
        .as("the segments a 201 wrote, after %s", exchange)
        .containsExactly(
            new StoreProbe.SegmentRow(sent.answer().path("segment_id").asText(), name, null));
  }

  /** A 200 changes the segment named, which stays active; anything else changes none. */
  static void checkUpdate(FuzzSuite.Sent sent) {
    checkOneChanged(sent, false);
  }

  /**
   * A 200 archives the segment named; anything else (a 409 for a segment in use included) archives
   * none.
   */
  static void checkDelete(FuzzSuite.Sent sent) {
    checkOneChanged(sent, true);
  }

  private static void checkOneChanged(FuzzSuite.Sent sent, boolean archives) {
    if (refusedAndChangedNothing(sent, 200)) {
      return;
    }
    Exchange exchange = sent.exchange();
    List<StoreProbe.SegmentRow> touched = sent.segmentsTouched();
    String target = exchange.sentObject().orElseThrow().path("segment_id").textValue();
    assertThat(touched).as("the segments a 200 wrote, after %s", exchange).hasSize(1);
    if (archives) {
      assertThat(touched.getFirst().id())
          .as("the segment archived by %s", exchange)
          .isEqualTo(target);
      assertThat(touched.getFirst().archivedAt()).as("not archived by %s", exchange).isNotNull();
    } else {
      assertThat(touched.getFirst().id())
          .as("the segment changed by %s", exchange)
          .isEqualTo(target);
      assertThat(touched.getFirst().archivedAt())
          .as("archived by an update: %s", exchange)
          .isNull();
    }
  }

  /** Whether the answer is other than {@code success}; if so, checks the try changed no segment. */
  private static boolean refusedAndChangedNothing(FuzzSuite.Sent sent, int success) {
    if (sent.exchange().status() == success) {
      return false;
    }
    assertThat(sent.segmentsTouched())
        .as("a %d changes no segment, after %s", sent.exchange().status(), sent.exchange())
        .isEmpty();
    return true;
  }
}
