package dev.kiln.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sentence /segments/details answers as a segment's {@code description} (docs/segments.md):
 * built from the filter, in prose. That details carries it, beside the client's own words, is
 * ITSegmentApi's.
 */
class FilterDescriberTest {
  @Test
  void theDescriptionIsASentenceBuiltFromTheFilter() {
    Filter filter =
        FilterParser.parse(
            Map.of(
                "and",
                List.of(
                    Map.of("attribute", "country", "op", "in", "value", List.of("US", "CA")),
                    Map.of("custom_attribute", "plan", "op", "equals", "value", "pro"),
                    Map.of(
                        "custom_event",
                        "watched_trailer",
                        "op",
                        "count_greater_than_or_equal",
                        "value",
                        2,
                        "in_last_days",
                        30),
                    Map.of(
                        "custom_attribute",
                        "cohort",
                        "op",
                        "equals",
                        "value",
                        "describe-cohort"))));

    String description = FilterDescriber.describe(filter);

    assertThat(description)
        .as("description")
        .contains("country", "US", "CA", "plan", "pro", "watched_trailer", "30");
    assertThat(description)
        .as("description is prose, not the JSON filter")
        .doesNotContain("{", "\"op\"");
  }
}
