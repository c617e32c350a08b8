package dev.kiln.server.segments;

import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bounds on how large a segment's query may grow (docs/segments.md): an {@code in} list of
 * thousands is fine, one beyond the bound is refused when the segment is created, and segments
 * referring to one another in a diamond are refused when created instead of doubling the query at
 * every level. Without them the query would run into the database's parameter limit (a 5xx) or grow
 * without end.
 */
class ITFilterLimits {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static String countryIn(int values) {
    return "{\"attribute\":\"country\",\"op\":\"in\",\"value\":"
        + IntStream.range(0, values)
            .mapToObj(i -> quote("C" + i))
            .collect(Collectors.joining(",", "[", "]"))
        + "}";
  }

  @Test
  void anInListOfThousandsIsCountedAndOneBeyondTheBoundIsRefused() {
    String large = createOk(kiln, "4,995 countries", countryIn(4_995));
    Response size = kiln.get("/segments/size?segment_id=" + large);
    assertThat(size.status()).as("%s", size).isEqualTo(200);

    Response refused =
        kiln.post(
            "/segments/create", "{\"name\":\"too many\",\"filter\":" + countryIn(20_000) + "}");
    assertThat(refused.status()).as("%s", refused).isEqualTo(400);
    assertThat(refused.json().path("message").asText()).contains("a filter may hold at most 5000");
  }

  /**
   * Regular expressions and event or purchase conditions each cost work for every user: 50 in a
   * filter are counted, one more is refused when the segment is created, and so are 51 reached
   * through a segment it refers to.
   */
  @Test
  void fiftyCostlyPredicatesAreCountedAndOneMoreIsRefused() {
    String fifty = createOk(kiln, "50 costly", costly(25, 25));
    assertThat(kiln.get("/segments/size?segment_id=" + fifty).status()).isEqualTo(200);

    Response refused =
        kiln.post("/segments/create", "{\"name\":\"51 costly\",\"filter\":" + costly(26, 25) + "}");
    assertThat(refused.status()).as("%s", refused).isEqualTo(400);
    assertThat(refused.json().path("message").asText())
        .contains("more than 50 regular expressions and event or purchase conditions");

    Response throughAReference =
        kiln.post(
            "/segments/create",
            "{\"name\":\"50 and 1 more\",\"filter\":{\"and\":["
                + "{\"segment\":"
                + quote(fifty)
                + ",\"op\":\"in\"},{\"custom_event\":\"e\",\"op\":\"performed\"}]}}");
    assertThat(throughAReference.status()).as("%s", throughAReference).isEqualTo(400);
  }

  private static String costly(int regexes, int events) {
    return Stream.concat(
            IntStream.range(0, regexes)
                .mapToObj(
                    i ->
                        "{\"attribute\":\"first_name\",\"op\":\"matches_regex\",\"value\":"
                            + quote("^n" + i)
                            + "}"),
            IntStream.range(0, events)
                .mapToObj(i -> "{\"custom_event\":" + quote("e" + i) + ",\"op\":\"performed\"}"))
        .collect(Collectors.joining(",", "{\"or\":[", "]}"));
  }

  @Test
  void segmentsReferringToOneAnotherInADiamondAreRefusedBeyond100References() {
    String previous =
        createOk(kiln, "level 0", "{\"attribute\":\"country\",\"op\":\"equals\",\"value\":\"US\"}");
    for (int level = 1; level <= 5; level++) {
      String twice = "{\"segment\":" + quote(previous) + ",\"op\":\"in\"}";
      previous = createOk(kiln, "level " + level, "{\"and\":[" + twice + "," + twice + "]}");
    }

    // Level n inlines 2 + 4 + ... + 2^n segments: 62 for level 5, 126 for level 6.
    assertThat(kiln.get("/segments/size?segment_id=" + previous).status())
        .as("62 references")
        .isEqualTo(200);
    String twice = "{\"segment\":" + quote(previous) + ",\"op\":\"in\"}";
    Response refused =
        kiln.post(
            "/segments/create",
            "{\"name\":\"level 6\",\"filter\":{\"and\":[" + twice + "," + twice + "]}}");
    assertThat(refused.status()).as("126 references: %s", refused).isEqualTo(400);
    assertThat(refused.json().path("message").asText())
        .contains("refers to segments more than 100 times");
  }
}
