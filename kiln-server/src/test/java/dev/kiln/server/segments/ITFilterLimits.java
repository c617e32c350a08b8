package dev.kiln.server.segments;

import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bounds on how large a segment's query may grow (docs/segments.md): an {@code in} list of thousands
 * is fine, one beyond the bound is refused when the segment is created, and segments referring to one
 * another in a diamond are refused when counted instead of doubling the query at every level. Without
 * them the query would run into the database's parameter limit (a 5xx) or grow without end.
 */
class ITFilterLimits {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static String countryIn(int values) {
    return "{\"attribute\":\"country\",\"op\":\"in\",\"value\":"
        + IntStream.range(0, values).mapToObj(i -> quote("C" + i)).collect(Collectors.joining(",", "[", "]")) + "}";
  }

  @Test
  void anInListOfThousandsIsCountedAndOneBeyondTheBoundIsRefused() {
    String large = createOk(kiln, "4,995 countries", countryIn(4_995));
    Response size = kiln.get("/segments/size?segment_id=" + large);
    assertThat(size.status()).as("%s", size).isEqualTo(200);

    Response refused = kiln.post("/segments/create", "{\"name\":\"too many\",\"filter\":" + countryIn(20_000) + "}");
    assertThat(refused.status()).as("%s", refused).isEqualTo(400);
    assertThat(refused.json().path("message").asText()).contains("a filter may hold at most 5000");
  }

  @Test
  void segmentsReferringToOneAnotherInADiamondAreRefusedBeyond100References() {
    String previous = createOk(kiln, "level 0", "{\"attribute\":\"country\",\"op\":\"equals\",\"value\":\"US\"}");
    String level5 = null;
    for (int level = 1; level <= 6; level++) {
      String twice = "{\"segment\":" + quote(previous) + ",\"op\":\"in\"}";
      previous = createOk(kiln, "level " + level, "{\"and\":[" + twice + "," + twice + "]}");
      if (level == 5) {
        level5 = previous;
      }
    }

    // Level n inlines 2 + 4 + ... + 2^n segments: 62 for level 5, 126 for level 6.
    assertThat(kiln.get("/segments/size?segment_id=" + level5).status()).as("62 references").isEqualTo(200);
    Response refused = kiln.get("/segments/size?segment_id=" + previous);
    assertThat(refused.status()).as("126 references: %s", refused).isEqualTo(400);
    assertThat(refused.json().path("message").asText()).contains("refers to segments more than 100 times");
  }
}
