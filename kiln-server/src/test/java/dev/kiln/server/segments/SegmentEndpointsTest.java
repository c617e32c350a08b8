package dev.kiln.server.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.server.http.ApiError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GET /segments/list's query parameters (docs/braze-reference.md section 10): which page, in which
 * order, and the 400 for a value that is neither. ITSegmentApi keeps the pages a running server
 * lists and one bad value of each parameter refused over HTTP.
 */
class SegmentEndpointsTest {
  @Test
  void pagesAreWholeNumbersFromZeroAndZeroWhenNotGiven() {
    assertThat(SegmentEndpoints.page(null)).isZero();
    assertThat(SegmentEndpoints.page("0")).isZero();
    assertThat(SegmentEndpoints.page("1")).isEqualTo(1);
    assertThat(SegmentEndpoints.page("21474837")).isEqualTo(21_474_837);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "one", "1.5", "", " 1", "2147483648"})
  void anythingElseIsNotAPage(String page) {
    assertRefused(() -> SegmentEndpoints.page(page), "'page' must be a whole number from 0");
  }

  @Test
  void oldestFirstUnlessDescIsAsked() {
    assertThat(SegmentEndpoints.newestFirst(null)).isFalse();
    assertThat(SegmentEndpoints.newestFirst("asc")).isFalse();
    assertThat(SegmentEndpoints.newestFirst("desc")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sideways", "DESC", ""})
  void anyOtherDirectionIsRefused(String direction) {
    assertRefused(
        () -> SegmentEndpoints.newestFirst(direction), "'sort_direction' must be asc or desc");
  }

  private static void assertRefused(Executable call, String message) {
    ApiError refused = assertThrows(ApiError.class, call);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.getMessage()).isEqualTo(message);
  }
}
