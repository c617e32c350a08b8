package dev.kiln.server.multinode;

import static dev.kiln.server.testing.TestJson.quote;

import dev.kiln.server.testing.TestJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The JSON bodies ITMultiNode sends. */
final class TrackBodies {
  private TrackBodies() {}

  static String attributes(List<String> objects) {
    return "{\"attributes\":[" + String.join(",", objects) + "]}";
  }

  static String tagAdd(String user, String tag) {
    return attributes(
        List.of("{\"external_id\":%s,\"tags\":{\"add\":[%s]}}".formatted(quote(user), quote(tag))));
  }

  static String exportIds(List<String> externalIds, String... fields) {
    return "{\"external_ids\":[%s],\"fields_to_export\":[%s]}"
        .formatted(
            externalIds.stream().map(TestJson::quote).collect(Collectors.joining(",")),
            Stream.of(fields).map(TestJson::quote).collect(Collectors.joining(",")));
  }

  /**
   * A track of {@code visits} increments and {@code events} events named {@code event}, a minute
   * old, for one user; a part of none is left out.
   */
  static String visitsAndEvents(String user, String event, int visits, int events) {
    List<String> parts = new ArrayList<>();
    if (visits > 0) {
      parts.add(
          "\"attributes\":[{\"external_id\":%s,\"visits\":{\"inc\":%d}}]"
              .formatted(quote(user), visits));
    }
    if (events > 0) {
      String played =
          "{\"external_id\":%s,\"name\":%s,\"time\":\"%s\"}"
              .formatted(
                  quote(user),
                  quote(event),
                  Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60));
      parts.add("\"events\":[" + String.join(",", Collections.nCopies(events, played)) + "]");
    }
    return "{" + String.join(",", parts) + "}";
  }

  static String mergeInto(String kept, String merged) {
    return """
        {"merge_updates":[{"identifier_to_merge":{"external_id":%s},\
        "identifier_to_keep":{"external_id":%s}}]}"""
        .formatted(quote(merged), quote(kept));
  }
}
