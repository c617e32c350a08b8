package dev.kiln.server.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.server.http.ApiError;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bound on segment sizes evaluated at once ({@code KILN_SEGMENT_EVALUATIONS}): the node's
 * slots, half of them (rounded up) for one key, and the 429 with {@code Retry-After} beyond them.
 * ITCostlySegments keeps the bound holding while real evaluations run over HTTP.
 */
class SegmentEvaluationsTest {
  private final Map<String, String> headers = new HashMap<>();

  @Test
  void oneKeyTakesAtMostHalfTheSlotsRoundedUp() {
    SegmentEvaluations evaluations = new SegmentEvaluations(3);
    evaluations.admit("a", headers::put);
    evaluations.admit("a", headers::put);

    ApiError refused = assertThrows(ApiError.class, () -> evaluations.admit("a", headers::put));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.getMessage())
        .isEqualTo(
            "Too many segment evaluations: this server evaluates 3 segment sizes at once,"
                + " 2 for one API key; retry after 5 s");
    assertThat(headers).containsExactly(Map.entry("Retry-After", "5"));
    assertThat(evaluations.admit("b", headers::put)).as("another key's slot").isNotNull();
  }

  @Test
  void theNodesSlotsBoundEveryKeyTogether() {
    SegmentEvaluations evaluations = new SegmentEvaluations(2);
    evaluations.admit("a", headers::put);
    evaluations.admit("b", headers::put);

    assertThat(assertThrows(ApiError.class, () -> evaluations.admit("c", headers::put)).status())
        .isEqualTo(429);
  }

  @Test
  void aClosedSlotIsGivenBack() {
    SegmentEvaluations evaluations = new SegmentEvaluations(1);
    SegmentEvaluations.Slot first = evaluations.admit("a", headers::put);
    assertThrows(ApiError.class, () -> evaluations.admit("b", headers::put));

    first.close();

    try (SegmentEvaluations.Slot again = evaluations.admit("b", headers::put)) {
      assertThat(again).isNotNull();
    }
    assertThat(evaluations.admit("a", headers::put)).as("every slot back").isNotNull();
  }

  @Test
  void aKeysSlotsComeBackOneByOne() {
    SegmentEvaluations evaluations = new SegmentEvaluations(4);
    SegmentEvaluations.Slot first = evaluations.admit("a", headers::put);
    evaluations.admit("a", headers::put);
    assertThrows(ApiError.class, () -> evaluations.admit("a", headers::put));

    first.close();

    assertThat(evaluations.admit("a", headers::put)).isNotNull();
    assertThrows(ApiError.class, () -> evaluations.admit("a", headers::put));
  }
}
