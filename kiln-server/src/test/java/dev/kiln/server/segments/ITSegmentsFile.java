package dev.kiln.server.segments;

import static dev.kiln.server.segments.SegmentFixtures.countryIs;
import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.segments.SegmentFixtures.details;
import static dev.kiln.server.segments.SegmentFixtures.fileEntry;
import static dev.kiln.server.segments.SegmentFixtures.ids;
import static dev.kiln.server.segments.SegmentFixtures.list;
import static dev.kiln.server.segments.SegmentFixtures.size;
import static dev.kiln.server.segments.SegmentFixtures.trackPopulation;
import static dev.kiln.server.segments.SegmentFixtures.within;
import static dev.kiln.server.testing.TestJson.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.TestJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code KILN_SEGMENTS_FILE}: a JSON array of {@code {name, description?, tags?, filter}} created
 * at start and updated by name on the next start; a bad file stops the start with a message naming
 * the file and the entry (docs/segments.md). {@link RunningKiln#restart()} boots with the same
 * settings, so rewriting the file and restarting applies the new content. SegmentsFileTest holds
 * the other ways a file is refused; one bad file here proves the refusal stops the start.
 */
class ITSegmentsFile {
  private static final String COHORT = "segments-file-cohort";

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    TestJson.json(content); // the test's own JSON is well formed unless it means not to be
    Files.writeString(file, content);
    return file;
  }

  /** Name to id of every listed segment. */
  private static Map<String, String> listedByName(RunningKiln kiln) {
    JsonNode segments = list(kiln, "");
    Map<String, String> byName = new HashMap<>();
    segments.forEach(
        item ->
            byName.merge(
                item.path("name").asText(), item.path("id").asText(), (a, b) -> a + "," + b));
    assertThat(segments.size())
        .as("listed segments have distinct names: %s", segments)
        .isEqualTo(byName.size());
    return byName;
  }

  @Test
  void segmentsOfTheFileAreCreatedAtStart() throws IOException {
    Path file =
        file(
            "segments.json",
            "["
                + String.join(
                    ",",
                    fileEntry(
                        "US users",
                        "\"description\":\"from the file\",\"tags\":[\"geo\",\"us\"]",
                        within(COHORT, countryIs("US"))),
                    fileEntry("FR users", "", within(COHORT, countryIs("FR"))))
                + "]");

    try (RunningKiln kiln = RunningKiln.start(Map.of("KILN_SEGMENTS_FILE", file.toString()))) {
      Map<String, String> byName = listedByName(kiln);
      assertThat(byName).containsOnlyKeys("US users", "FR users");
      assertThat(ids(list(kiln, "")))
          .as("file order is creation order")
          .containsExactly(byName.get("US users"), byName.get("FR users"));

      trackPopulation(kiln, COHORT);
      assertThat(size(kiln, byName.get("US users"))).isEqualTo(3);
      assertThat(size(kiln, byName.get("FR users"))).isEqualTo(2);

      JsonNode us = details(kiln, byName.get("US users"));
      assertThat(us.path("text_description").asText()).isEqualTo("from the file");
      assertThat(texts(us.path("tags"))).containsExactly("geo", "us");
      assertThat(us.path("description").asText()).contains("country", "US");
      assertThat(details(kiln, byName.get("FR users")).path("tags")).isEqualTo(TestJson.json("[]"));
    }
  }

  @Test
  void aRewrittenFileUpdatesSegmentsByNameOnRestart() throws IOException, InterruptedException {
    Path file =
        file(
            "segments.json",
            "["
                + String.join(
                    ",",
                    fileEntry(
                        "geo",
                        "\"description\":\"v1\",\"tags\":[\"v1\"]",
                        within(COHORT, countryIs("US"))),
                    fileEntry("steady", "", within(COHORT, countryIs("FR"))))
                + "]");
    Map<String, String> env = Map.of("KILN_SEGMENTS_FILE", file.toString());

    try (RunningKiln kiln = RunningKiln.start(env)) {
      trackPopulation(kiln, COHORT);
      Map<String, String> before = listedByName(kiln);
      String geo = before.get("geo");
      String steady = before.get("steady");
      assertThat(size(kiln, geo)).isEqualTo(3);
      JsonNode geoBefore = details(kiln, geo);
      JsonNode steadyBefore = details(kiln, steady);

      Thread.sleep(20);
      file(
          "segments.json",
          "["
              + String.join(
                  ",",
                  fileEntry(
                      "geo",
                      "\"description\":\"v2\",\"tags\":[\"v2\"]",
                      within(
                          COHORT,
                          "{\"attribute\":\"country\",\"op\":\"in\",\"value\":[\"US\",\"FR\"]}")),
                  fileEntry("steady", "", within(COHORT, countryIs("FR"))))
              + "]");
      kiln.restart();

      Map<String, String> after = listedByName(kiln);
      assertThat(after).as("updated by name, not duplicated").isEqualTo(before);
      assertThat(size(kiln, geo)).as("geo with its new filter").isEqualTo(5);
      assertThat(size(kiln, steady)).isEqualTo(2);

      JsonNode geoAfter = details(kiln, geo);
      assertThat(geoAfter.path("text_description").asText()).isEqualTo("v2");
      assertThat(texts(geoAfter.path("tags"))).containsExactly("v2");
      assertThat(geoAfter.path("created_at").asText())
          .isEqualTo(geoBefore.path("created_at").asText());
      assertThat(details(kiln, steady).path("created_at").asText())
          .isEqualTo(steadyBefore.path("created_at").asText());
    }
  }

  @Test
  void aFileEntryUpdatesASegmentOfTheSameNameMadeThroughTheApi() throws IOException {
    Path file = file("segments.json", "[]");
    try (RunningKiln kiln = RunningKiln.start(Map.of("KILN_SEGMENTS_FILE", file.toString()))) {
      assertThat(list(kiln, "")).as("an empty file creates nothing").isEmpty();
      trackPopulation(kiln, COHORT);
      String id = createOk(kiln, "shared name", within(COHORT, countryIs("US")));
      assertThat(size(kiln, id)).isEqualTo(3);

      file(
          "segments.json",
          "[" + fileEntry("shared name", "", within(COHORT, countryIs("FR"))) + "]");
      kiln.restart();

      assertThat(ids(list(kiln, ""))).containsExactly(id);
      assertThat(size(kiln, id)).isEqualTo(2);
    }
  }

  @Test
  void aBadFilterStopsTheStartNamingTheFileAndTheEntry() throws IOException {
    Path file =
        file(
            "bad-filter.json",
            "["
                + String.join(
                    ",",
                    fileEntry("fine", "", countryIs("US")),
                    fileEntry(
                        "broken",
                        "",
                        "{\"and\":[{\"attribute\":\"country\",\"op\":\"greater\",\"value\":\"US\"}]}"))
                + "]");

    assertThatThrownBy(
            () -> RunningKiln.start(Map.of("KILN_SEGMENTS_FILE", file.toString())).close())
        .hasMessageContaining("bad-filter.json")
        .hasMessageContaining("[1]")
        .hasMessageContaining("filter.and[0].op");
  }

  @Test
  void aCorrectedFileStartsOnTheSameDataFolder() throws IOException {
    Path dataDir = Files.createDirectory(dir.resolve("data"));
    Path file =
        file(
            "segments.json",
            "["
                + String.join(
                    ",",
                    fileEntry("fine", "", within(COHORT, countryIs("US"))),
                    fileEntry(
                        "broken",
                        "",
                        "{\"attribute\":\"country\",\"op\":\"greater\",\"value\":\"US\"}"))
                + "]");
    Map<String, String> env = Map.of("KILN_SEGMENTS_FILE", file.toString());
    assertThatThrownBy(() -> RunningKiln.startOn(dataDir, env).close()).hasMessageContaining("[1]");

    file(
        "segments.json",
        "["
            + String.join(
                ",",
                fileEntry("fine", "", within(COHORT, countryIs("US"))),
                fileEntry("fixed", "", within(COHORT, countryIs("FR"))))
            + "]");
    try (RunningKiln kiln = RunningKiln.startOn(dataDir, env)) {
      Map<String, String> byName = listedByName(kiln);
      assertThat(byName).as("one segment per name").containsOnlyKeys("fine", "fixed");
      trackPopulation(kiln, COHORT);
      assertThat(size(kiln, byName.get("fine"))).isEqualTo(3);
      assertThat(size(kiln, byName.get("fixed"))).isEqualTo(2);
    }
  }

  @Test
  void unchangedFileKeepsIdsAcrossRestarts() throws IOException {
    Path file = file("segments.json", "[" + fileEntry("only", "", countryIs("US")) + "]");
    try (RunningKiln kiln = RunningKiln.start(Map.of("KILN_SEGMENTS_FILE", file.toString()))) {
      List<String> before = ids(list(kiln, ""));
      kiln.restart();
      kiln.restart();
      assertThat(ids(list(kiln, ""))).hasSize(1).isEqualTo(before);
    }
  }
}
