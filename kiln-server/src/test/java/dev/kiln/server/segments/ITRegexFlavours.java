package dev.kiln.server.segments;

import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regular expressions mean what they mean to Java on every backend (docs/segments.md, Decisions):
 * SQLite runs them with Java, PostgreSQL gets them translated to its own syntax. A pattern that
 * cannot be translated exactly is counted on SQLite, and refused clearly on PostgreSQL when the
 * segment is created: a 400 naming the construct, and nothing stored, never a 5xx or a retried job.
 */
class ITRegexFlavours {
  /** A named group: no PostgreSQL syntax means the same. */
  private static final String JAVA_ONLY = "(?<word>ana)$";

  private static final String REFUSED =
      "the regular expression '"
          + JAVA_ONLY
          + "' uses a named group ('(?<word>'), "
          + "which PostgreSQL cannot evaluate the way Java does";

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  @BeforeAll
  static void users() {
    Response tracked =
        kiln.post(
            "/users/track",
            """
        {"attributes":[{"external_id":"flavour-1","fruit":"banana"},{"external_id":"flavour-2","fruit":"apple"},
        {"external_id":"flavour-3","fruit":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"}]}""");
    assertThat(tracked.status()).as("%s", tracked).isEqualTo(201);
  }

  @Test
  void theCommonSyntaxCountsTheSameOnEveryBackend() {
    String segment = segmentMatching("^b\\\\w+a\\\\s*$");

    Response size = kiln.get("/segments/size?segment_id=" + segment);

    assertThat(size.status()).as("%s", size).isEqualTo(200);
    assertThat(size.json().path("size").asLong()).isEqualTo(1);
  }

  /**
   * {@code \b} is a backspace to PostgreSQL, and its own word boundary follows the locale:
   * translated.
   */
  @Test
  void aTranslatedConstructCountsTheSameOnEveryBackend() {
    String segment = segmentMatching("na\\\\b");

    Response size = kiln.get("/segments/size?segment_id=" + segment);

    assertThat(size.status()).as("%s", size).isEqualTo(200);
    assertThat(size.json().path("size").asLong()).isEqualTo(1);
  }

  @Test
  void aJavaOnlyPatternIsCountedOnSqliteAndRefusedWhenCreatedOnPostgres() {
    Response created = createMatching("flavour java-only", JAVA_ONLY);

    if (RunningKiln.onPostgres()) {
      assertRefusedAndNotStored("flavour java-only", created, REFUSED);
    } else {
      Response size =
          kiln.get("/segments/size?segment_id=" + created.json().path("segment_id").asText());
      assertThat(size.status()).as("%s", size).isEqualTo(200);
      assertThat(size.json().path("size").asLong()).isEqualTo(1);
    }
  }

  /**
   * What PostgreSQL's engine cannot evaluate (a bound above its 255, \p classes, inline flags,
   * possessive quantifiers) is refused when the segment is created there, never saved to fail each
   * time it is sized or exported; SQLite, which runs Java's engine, counts it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"an{300}", "\\\\p{Lu}", "(?i)BANANA", "ban++ana"})
  void aPatternPostgresCannotEvaluateIsRefusedWhenCreatedThere(String regex) {
    Response created = createMatching("flavour " + regex, regex);

    if (RunningKiln.onPostgres()) {
      assertRefusedAndNotStored("flavour " + regex, created, "which PostgreSQL cannot evaluate");
    } else {
      assertThat(created.status()).as("%s", created).isEqualTo(201);
      Response size =
          kiln.get("/segments/size?segment_id=" + created.json().path("segment_id").asText());
      assertThat(size.status()).as("%s", size).isEqualTo(200);
    }
  }

  @Test
  void anExportOfAJavaOnlyPatternSucceedsOnSqlite() throws InterruptedException {
    Response created = createMatching("flavour java-only export", JAVA_ONLY);
    if (RunningKiln.onPostgres()) {
      assertRefusedAndNotStored("flavour java-only export", created, REFUSED);
      return;
    }
    Response requested =
        kiln.post(
            "/users/export/segment",
            "{\"segment_id\":"
                + quote(created.json().path("segment_id").asText())
                + ",\"fields_to_export\":[\"external_id\"]}");
    assertThat(requested.status()).as("%s", requested).isEqualTo(201);

    JsonNode status = finalStatus(requested.json().path("object_prefix").asText());

    assertThat(status.path("state").asText()).as("%s", status).isEqualTo("succeeded");
    assertThat(status.path("users_written").asLong()).isEqualTo(1);
  }

  private static Response createMatching(String name, String regex) {
    return kiln.post(
        "/segments/create",
        "{\"name\":"
            + quote(name)
            + ",\"filter\":"
            + "{\"custom_attribute\":\"fruit\",\"op\":\"matches_regex\",\"value\":\""
            + regex
            + "\"}}");
  }

  private static void assertRefusedAndNotStored(String name, Response created, String reason) {
    assertThat(created.status()).as("%s", created).isEqualTo(400);
    assertThat(created.json().path("message").asText()).contains(reason);
    assertThat(SegmentFixtures.list(kiln, "?page=0").findValuesAsText("name")).doesNotContain(name);
  }

  /**
   * {@code (.*a){12}b} against 48 a's and a c: Java's backtracking engine would try about 48^12
   * ways (it takes 5 s for 28 a's). SQLite (which runs Java's engine) gives up and says why;
   * PostgreSQL's engine does not backtrack this way and counts. Neither holds the request, or a
   * connection, for longer than a moment.
   */
  @Test
  void aPatternThatBacktracksWithoutEndNeverHoldsTheServer() {
    String segment = segmentMatching("(.*a){12}b");

    Response size =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> kiln.get("/segments/size?segment_id=" + segment));

    if (RunningKiln.onPostgres()) {
      assertThat(size.status()).as("%s", size).isEqualTo(200);
      assertThat(size.json().path("size").asLong()).isZero();
    } else {
      assertThat(size.status()).as("%s", size).isEqualTo(400);
      assertThat(size.json().path("message").asText()).contains("too costly to evaluate");
    }
  }

  private static String segmentMatching(String regex) {
    return createOk(
        kiln,
        "flavour " + regex,
        "{\"custom_attribute\":\"fruit\",\"op\":\"matches_regex\",\"value\":\"" + regex + "\"}");
  }

  private static JsonNode finalStatus(String objectPrefix) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      JsonNode status = kiln.get("/users/export/status?object_prefix=" + objectPrefix).json();
      if (!status.path("state").asText().equals("queued")
          && !status.path("state").asText().equals("running")) {
        return status;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("export " + objectPrefix + " did not end within 60 s");
  }
}
