package dev.kiln.server.segments;

import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Identifiers, attribute names and filter values full of SQL, LIKE and regex metacharacters are
 * data: they are stored and matched exactly as sent, on every backend, and change nothing else.
 */
class ITMetacharactersAsData {
  private static final String INJECTION = "x'; DROP TABLE users; --";
  private static final String LIKE_PATTERN = "a%b_c";
  private static final String LIKE_DECOY = "aXXbYc"; // what a LIKE 'a%b_c' would also match
  private static final String REGEX_TEXT = ".*";
  private static final String ATTRIBUTE = "we'ird; %name_";

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  @BeforeAll
  static void users() {
    StringBuilder attributes = new StringBuilder();
    for (String id : List.of(INJECTION, LIKE_PATTERN, LIKE_DECOY, REGEX_TEXT)) {
      attributes
          .append(attributes.isEmpty() ? "" : ",")
          .append("{\"external_id\":")
          .append(quote(id))
          .append(",")
          .append(quote(ATTRIBUTE))
          .append(":")
          .append(quote(id))
          .append("}");
    }
    Response tracked = kiln.post("/users/track", "{\"attributes\":[" + attributes + "]}");
    assertThat(tracked.status()).as("%s", tracked).isEqualTo(201);
  }

  @Test
  void identifiersFullOfMetacharactersAreStoredAndFoundExactly() {
    Response exported =
        kiln.post(
            "/users/export/ids",
            "{\"external_ids\":["
                + quote(INJECTION)
                + ","
                + quote(LIKE_PATTERN)
                + "],\"fields_to_export\":[\"external_id\",\"custom_attributes\"]}");

    assertThat(exported.status()).isEqualTo(200);
    assertThat(exported.json().path("users")).hasSize(2);
    for (JsonNode user : exported.json().path("users")) {
      assertThat(user.path("custom_attributes").path(ATTRIBUTE).asText())
          .isEqualTo(user.path("external_id").asText());
    }
    assertThat(size("{\"and\":[]}")).as("every user is still there").isEqualTo(4);
  }

  @Test
  void filterValuesMatchAsTextNotAsSqlLikeOrRegex() {
    assertThat(size(equalsFilter("external_id", INJECTION, false))).isEqualTo(1);
    assertThat(size(equalsFilter("external_id", LIKE_PATTERN, false)))
        .as("no LIKE wildcards")
        .isEqualTo(1);
    assertThat(size(equalsFilter("external_id", REGEX_TEXT, false)))
        .as("equals is not a regex")
        .isEqualTo(1);
    assertThat(size(equalsFilter(ATTRIBUTE, INJECTION, true)))
        .as("custom attribute named with metacharacters")
        .isEqualTo(1);
    assertThat(size(equalsFilter(ATTRIBUTE, LIKE_PATTERN, true))).isEqualTo(1);
  }

  @Test
  void regexMetacharactersInARegexAreARegexAndEscapedOnesAreLiterals() {
    assertThat(
            size(
                "{\"custom_attribute\":"
                    + quote(ATTRIBUTE)
                    + ",\"op\":\"matches_regex\",\"value\":\"^\\\\.\\\\*$\"}"))
        .as("an escaped .* matches only the literal text")
        .isEqualTo(1);
    assertThat(
            size(
                "{\"custom_attribute\":"
                    + quote(ATTRIBUTE)
                    + ",\"op\":\"matches_regex\",\"value\":\"'; DROP\"}"))
        .as("SQL inside a regex is text to match")
        .isEqualTo(1);
  }

  private static String equalsFilter(String name, String value, boolean custom) {
    return "{"
        + quote(custom ? "custom_attribute" : "attribute")
        + ":"
        + quote(name)
        + ",\"op\":\"equals\",\"value\":"
        + quote(value)
        + "}";
  }

  private static long size(String filter) {
    String segment =
        createOk(kiln, "metacharacters " + filter.hashCode() + " " + System.nanoTime(), filter);
    Response size = kiln.get("/segments/size?segment_id=" + segment);
    assertThat(size.status()).as("%s", size).isEqualTo(200);
    return size.json().path("size").asLong();
  }
}
