package dev.kiln.server.segments;

import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Filters within the documented bounds that a database could not run as first compiled: an or of
 * more than a thousand predicates (SQLite's expression depth of 1,000), a nested path of more than
 * 98 keys (PostgreSQL's 100 arguments to a function). Both are counted now. What a database still
 * cannot run (segments nesting one another thousands of levels deep) is refused when it is stored,
 * with a 400 saying why, and nothing is stored: a stored segment can always be evaluated.
 */
class ITUnrunnableFilters {
  private static final String MEMBER =
      "{\"attribute\":\"external_id\",\"op\":\"equals\",\"value\":\"unrunnable-1\"}";

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  @BeforeAll
  static void member() {
    Response tracked =
        kiln.post("/users/track", "{\"attributes\":[{\"external_id\":\"unrunnable-1\"}]}");
    assertThat(tracked.status()).as("%s", tracked).isEqualTo(201);
  }

  /** 1,200 predicates and the member's: as a chain, 1,201 deep, past SQLite's depth of 1,000. */
  @ParameterizedTest
  @CsvSource({"or, subscribed", "and, unsubscribed"})
  void aListOfOverAThousandPredicatesIsCounted(String list, String op) {
    String groups =
        IntStream.range(0, 1_200)
            .mapToObj(
                i ->
                    "{\"subscription_group\":" + quote("group-" + i) + ",\"op\":" + quote(op) + "}")
            .collect(Collectors.joining(","));
    String segment =
        createOk(
            kiln, "1,201 in an " + list, "{" + quote(list) + ":[" + groups + "," + MEMBER + "]}");

    assertSize(segment, 1);
  }

  @Test
  void aNestedPathOfHundredsOfKeysIsCounted() {
    String path =
        IntStream.range(0, 300)
            .mapToObj(i -> quote("k" + i))
            .collect(Collectors.joining(",", "[", "]"));
    String segment =
        createOk(
            kiln,
            "300 keys deep",
            "{\"or\":[{\"custom_attribute\":\"deep\",\"path\":"
                + path
                + ",\"op\":\"exists\"},"
                + MEMBER
                + "]}");

    assertSize(segment, 1);
  }

  /**
   * Segments in a chain, each holding the one before under 32 nots (the most a filter nests): each
   * level inlines 32 more. SQLite refuses the query past its expression depth of 1,000, PostgreSQL
   * maybe past its stack depth; whatever the database, every segment stored can be counted, and the
   * first one refused is refused when created, naming why, and is not stored.
   */
  @Test
  void segmentsTheDatabaseCannotEvaluateAreRefusedWhenCreatedAndNotStored() {
    String previous = createOk(kiln, "chain 0", MEMBER);
    String refused = null;
    for (int level = 1; level <= 60 && refused == null; level++) {
      String name = "chain " + level;
      String filter =
          "{\"not\":".repeat(32)
              + "{\"segment\":"
              + quote(previous)
              + ",\"op\":\"in\"}"
              + "}".repeat(32);
      Response created =
          kiln.post("/segments/create", "{\"name\":" + quote(name) + ",\"filter\":" + filter + "}");
      if (created.status() == 201) {
        previous = created.json().path("segment_id").asText();
        assertSize(previous, 1);
      } else {
        assertThat(created.status()).as("%s: %s", name, created).isEqualTo(400);
        assertThat(created.json().path("message").asText())
            .as("%s", name)
            .contains("is too large or too deeply nested for this store's database to evaluate");
        refused = name;
      }
    }

    if (!RunningKiln.onPostgres()) {
      assertThat(refused).as("SQLite refuses a chain 32 nots a level before 60 levels").isNotNull();
    }
    if (refused != null) {
      assertThat(storedNames()).doesNotContain(refused);
    }
  }

  private static void assertSize(String segment, long expected) {
    Response size = kiln.get("/segments/size?segment_id=" + segment);
    assertThat(size.status()).as("%s", size).isEqualTo(200);
    assertThat(size.json().path("size").asLong()).isEqualTo(expected);
  }

  private static List<String> storedNames() {
    List<String> names = new ArrayList<>();
    for (int page = 0; ; page++) {
      JsonNode segments = SegmentFixtures.list(kiln, "?page=" + page);
      segments.forEach(segment -> names.add(segment.path("name").asText()));
      if (segments.isEmpty()) {
        return names;
      }
    }
  }
}
