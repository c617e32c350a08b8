package dev.kiln.server.segments;

import static dev.kiln.server.segments.SegmentFixtures.countryIs;
import static dev.kiln.server.segments.SegmentFixtures.fileEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.segment.SegmentDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading and checking {@code KILN_SEGMENTS_FILE} over an in-memory store: which entries are
 * created or updated by name, and the message a bad file stops the start with (it names the file
 * and the entry). ITSegmentsFile keeps the file's effect on a running Kiln.
 */
class SegmentsFileTest {
  @TempDir Path dir;

  private final InMemorySegmentStorage storage = new InMemorySegmentStorage();
  private final SegmentService segments = new SegmentService(storage, Clock.systemUTC());

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void entriesAreCreatedInFileOrderWithTheirDescriptionAndTags() throws IOException {
    Path file =
        file(
            "segments.json",
            "["
                + fileEntry("US users", "\"description\":\"d\",\"tags\":[\"geo\"]", countryIs("US"))
                + ","
                + fileEntry("FR users", "", countryIs("FR"))
                + "]");

    SegmentsFile.apply(file, segments);

    assertThat(storage.all())
        .extracting(SegmentDefinition::name)
        .containsExactly("US users", "FR users");
    SegmentDefinition us = storage.all().get(0);
    assertThat(us.description()).isEqualTo("d");
    assertThat(us.tags()).containsExactly("geo");
    assertThat(storage.all().get(1).tags()).isEmpty();
  }

  @Test
  void anEntryUpdatesTheActiveSegmentOfItsNameKeepingItsId() throws IOException {
    SegmentsFile.apply(
        file("v1.json", "[" + fileEntry("geo", "", countryIs("US")) + "]"), segments);
    SegmentDefinition before = storage.all().get(0);

    SegmentsFile.apply(
        file("v2.json", "[" + fileEntry("geo", "\"tags\":[\"v2\"]", countryIs("FR")) + "]"),
        segments);

    assertThat(storage.all()).hasSize(1);
    SegmentDefinition after = storage.all().get(0);
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after.filterJson()).contains("FR");
    assertThat(after.tags()).containsExactly("v2");
    assertThat(after.createdAt()).isEqualTo(before.createdAt());
  }

  @Test
  void aBadFirstEntryIsNamedByIndexZero() throws IOException {
    Path file =
        file(
            "bad-first.json",
            "["
                + fileEntry(
                    "broken", "", "{\"attribute\":\"colour\",\"op\":\"equals\",\"value\":\"red\"}")
                + "]");
    assertThatThrownBy(() -> SegmentsFile.apply(file, segments))
        .hasMessageContaining("bad-first.json")
        .hasMessageContaining("[0]")
        .hasMessageContaining("colour");
  }

  @Test
  void anEntryWithoutNameOrFilterIsRefused() throws IOException {
    Path noFilter =
        file(
            "no-filter.json",
            "[" + fileEntry("fine", "", countryIs("US")) + ",{\"name\":\"no filter\"}]");
    assertThatThrownBy(() -> SegmentsFile.apply(noFilter, segments))
        .hasMessageContaining("no-filter.json")
        .hasMessageContaining("[1]");

    Path noName = file("no-name.json", "[{\"filter\":" + countryIs("US") + "}]");
    assertThatThrownBy(() -> SegmentsFile.apply(noName, segments))
        .hasMessageContaining("no-name.json")
        .hasMessageContaining("[0]");
  }

  @Test
  void anEntryThatIsNotAnObjectIsRefused() throws IOException {
    Path file = file("not-object.json", "[\"US users\"]");
    assertThatThrownBy(() -> SegmentsFile.apply(file, segments))
        .hasMessageContaining("not-object.json")
        .hasMessageContaining("[0]")
        .hasMessageContaining("must be an object");
  }

  @Test
  void aFileThatIsNotAJsonArrayIsRefused() throws IOException {
    Path object = file("object.json", "{\"name\":\"x\",\"filter\":{\"and\":[]}}");
    assertThatThrownBy(() -> SegmentsFile.apply(object, segments))
        .hasMessageContaining("object.json");

    Path malformed = file("malformed.json", "[{\"name\":\"x\",");
    assertThatThrownBy(() -> SegmentsFile.apply(malformed, segments))
        .hasMessageContaining("malformed.json");

    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> SegmentsFile.apply(missing, segments))
        .hasMessageContaining("missing.json");
  }

  /** The file follows the API's rules for tags. */
  @Test
  void badTagsAreRefused() throws IOException {
    Path file =
        file("bad-tags.json", "[" + fileEntry("tagged", "\"tags\":\"geo\"", countryIs("US")) + "]");
    assertThatThrownBy(() -> SegmentsFile.apply(file, segments))
        .as("applying \"tags\": \"geo\"")
        .hasMessageContaining("bad-tags.json")
        .hasMessageContaining("[0]")
        .hasMessageContaining("tags");
  }
}
