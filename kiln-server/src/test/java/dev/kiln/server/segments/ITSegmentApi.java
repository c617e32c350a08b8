package dev.kiln.server.segments;

import static dev.kiln.server.segments.SegmentFixtures.assertError;
import static dev.kiln.server.segments.SegmentFixtures.countryIs;
import static dev.kiln.server.segments.SegmentFixtures.create;
import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.segments.SegmentFixtures.delete;
import static dev.kiln.server.segments.SegmentFixtures.details;
import static dev.kiln.server.segments.SegmentFixtures.detailsResponse;
import static dev.kiln.server.segments.SegmentFixtures.ids;
import static dev.kiln.server.segments.SegmentFixtures.inSegment;
import static dev.kiln.server.segments.SegmentFixtures.item;
import static dev.kiln.server.segments.SegmentFixtures.list;
import static dev.kiln.server.segments.SegmentFixtures.listResponse;
import static dev.kiln.server.segments.SegmentFixtures.notInSegment;
import static dev.kiln.server.segments.SegmentFixtures.size;
import static dev.kiln.server.segments.SegmentFixtures.sizeResponse;
import static dev.kiln.server.segments.SegmentFixtures.trackPopulation;
import static dev.kiln.server.segments.SegmentFixtures.update;
import static dev.kiln.server.segments.SegmentFixtures.updateOk;
import static dev.kiln.server.segments.SegmentFixtures.within;
import static dev.kiln.server.testing.TestJson.fieldNames;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.texts;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The segment API over HTTP: Kiln's /segments/create, update, delete and size (docs/segments.md),
 * and Braze's GET /segments/list and /segments/details (docs/braze-reference.md section 10, edge
 * case 34). Each test tracks its own users under a fresh {@code cohort} custom attribute and
 * restricts its filters to that cohort, so tests sharing the server never count each other's users.
 * The list pagination tests run on servers of their own, where every segment is known. Which
 * references are refused, and the loop each refusal names, is SegmentReferencesTest's
 * (kiln-segment), and the service's refusals over an in-memory store are SegmentServiceTest's;
 * here, the 400 of one loop and that the refused update changed nothing.
 */
class ITSegmentApi {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  // --- create and size ---

  @Test
  void sizesMatchTheTrackedUsersForEachFilterFamily() {
    String cohort = uid("sizes");
    trackPopulation(kiln, cohort);

    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put(countryIs("US"), 3);
    expected.put(countryIs("FR"), 2);
    expected.put("{\"attribute\":\"country\",\"op\":\"in\",\"value\":[\"US\",\"FR\"]}", 5);
    expected.put("{\"attribute\":\"country\",\"op\":\"not_equals\",\"value\":\"US\"}", 2);
    expected.put("{\"and\":[]}", 5);
    expected.put("{\"or\":[]}", 0);
    expected.put("{\"not\":" + countryIs("US") + "}", 2);
    expected.put("{\"custom_attribute\":\"plan\",\"op\":\"equals\",\"value\":\"pro\"}", 3);
    // not_equals also matches users without the attribute (user 5)
    expected.put("{\"custom_attribute\":\"plan\",\"op\":\"not_equals\",\"value\":\"pro\"}", 2);
    expected.put(
        "{\"and\":["
            + countryIs("US")
            + ",{\"custom_attribute\":\"plan\",\"op\":\"equals\",\"value\":\"pro\"}]}",
        2);
    expected.put(
        "{\"or\":["
            + countryIs("FR")
            + ",{\"custom_attribute\":\"plan\",\"op\":\"equals\",\"value\":\"free\"}]}",
        3);
    expected.put("{\"custom_attribute\":\"score\",\"op\":\"greater_than\",\"value\":20}", 2);
    expected.put("{\"custom_attribute\":\"score\",\"op\":\"between\",\"value\":[10,30]}", 2);
    expected.put("{\"custom_event\":\"watched_trailer\",\"op\":\"performed\"}", 3);
    expected.put(
        "{\"custom_event\":\"watched_trailer\",\"op\":\"performed\",\"in_last_days\":30}", 2);
    expected.put(
        "{\"custom_event\":\"watched_trailer\",\"op\":\"not_performed\",\"in_last_days\":30}", 3);
    expected.put(
        "{\"custom_event\":\"watched_trailer\",\"op\":\"count_greater_than_or_equal\",\"value\":2}",
        1);
    expected.put(
        "{\"custom_event\":\"watched_trailer\",\"op\":\"last_performed_less_than_days_ago\",\"value\":10}",
        2);
    expected.put(
        "{\"and\":["
            + countryIs("US")
            + ",{\"custom_event\":\"watched_trailer\",\"op\":\"performed\","
            + "\"in_last_days\":30}]}",
        1);

    SoftAssertions softly = new SoftAssertions();
    int n = 0;
    for (Map.Entry<String, Integer> entry : expected.entrySet()) {
      String id = createOk(kiln, cohort + " #" + n++, within(cohort, entry.getKey()));
      softly
          .assertThat(size(kiln, id))
          .as("size of %s", entry.getKey())
          .isEqualTo(entry.getValue().longValue());
    }
    softly.assertAll();
  }

  @Test
  void sizeCountsUsersTrackedAfterTheSegmentWasCreated() {
    String cohort = uid("live");
    String id = createOk(kiln, cohort, within(cohort, countryIs("US")));
    assertThat(size(kiln, id)).as("before any user").isZero();

    trackPopulation(kiln, cohort);
    assertThat(size(kiln, id)).as("after tracking 3 US users").isEqualTo(3);
  }

  // --- details ---

  @Test
  void detailsShowWhatWasCreated() {
    String cohort = uid("details");
    Instant before = Instant.now().minusSeconds(1);
    String id =
        createOk(
            kiln,
            """
        {"name":"US users","description":"Everyone in the United States","tags":["geo","us"],"filter":%s}"""
                .formatted(within(cohort, countryIs("US"))));
    Instant after = Instant.now().plusSeconds(1);

    JsonNode details = details(kiln, id);
    assertThat(details.path("name").asText()).isEqualTo("US users");
    assertThat(details.path("text_description").asText())
        .as("text_description is the segment's own description")
        .isEqualTo("Everyone in the United States");
    assertThat(texts(details.path("tags"))).containsExactly("geo", "us");
    assertThat(details.path("teams").isArray()).as("teams is an array").isTrue();
    assertThat(details.path("created_at").asText())
        .as("created_at is ISO 8601")
        .matches("\\d{4}-\\d{2}-\\d{2}T.*");
    Instant createdAt = Instant.parse(details.path("created_at").asText());
    assertThat(createdAt).isBetween(before, after);
    assertThat(details.path("updated_at").asText())
        .as("updated_at of a new segment")
        .isEqualTo(details.path("created_at").asText());
  }

  @Test
  void detailsDescriptionIsASentenceBuiltFromTheFilter() {
    String cohort = uid("describe");
    String id =
        createOk(
            kiln,
            """
        {"name":"described","description":"my words","filter":{"and":[
          {"attribute":"country","op":"in","value":["US","CA"]},
          {"custom_attribute":"plan","op":"equals","value":"pro"},
          {"custom_event":"watched_trailer","op":"count_greater_than_or_equal","value":2,"in_last_days":30},
          {"custom_attribute":"cohort","op":"equals","value":%s}
        ]}}"""
                .formatted(quote(cohort)));

    JsonNode details = details(kiln, id);
    // What the sentence says of the filter: FilterDescriberTest (kiln-segment).
    assertThat(details.path("description").isTextual()).as("description is a string").isTrue();
    assertThat(details.path("description").asText()).as("description").contains("watched_trailer");
    assertThat(details.path("text_description").asText()).isEqualTo("my words");
  }

  @Test
  void aSegmentWithoutTagsListsAndDetailsAnEmptyTagArray() {
    String cohort = uid("no-tags");
    String id = createOk(kiln, cohort, within(cohort, countryIs("US")));
    assertThat(details(kiln, id).path("tags")).isEqualTo(json("[]"));
    assertThat(listedItem(id).path("tags")).isEqualTo(json("[]"));
  }

  // --- update ---

  @Test
  void updateChangesNameAndFilterButKeepsCreatedAt() throws InterruptedException {
    String cohort = uid("update");
    trackPopulation(kiln, cohort);
    String id = createOk(kiln, cohort + " US", within(cohort, countryIs("US")));
    assertThat(size(kiln, id)).isEqualTo(3);
    JsonNode before = details(kiln, id);

    Thread.sleep(20);
    updateOk(
        kiln,
        """
        {"segment_id":%s,"name":%s,"filter":%s}"""
            .formatted(quote(id), quote(cohort + " FR"), within(cohort, countryIs("FR"))));

    assertThat(size(kiln, id)).as("size after the filter changed to FR").isEqualTo(2);
    JsonNode after = details(kiln, id);
    assertThat(after.path("name").asText()).isEqualTo(cohort + " FR");
    assertThat(after.path("created_at").asText())
        .as("created_at")
        .isEqualTo(before.path("created_at").asText());
    assertThat(Instant.parse(after.path("updated_at").asText()))
        .as("updated_at advances")
        .isAfter(Instant.parse(before.path("updated_at").asText()));
    assertThat(after.path("description").asText())
        .as("description follows the new filter")
        .contains("FR");
    assertThat(listedItem(id).path("name").asText())
        .as("the list shows the new name")
        .isEqualTo(cohort + " FR");
  }

  @Test
  void updateChangesOnlyTheGivenParts() {
    String cohort = uid("partial");
    trackPopulation(kiln, cohort);
    String id =
        createOk(
            kiln,
            """
        {"name":%s,"description":"first words","tags":["a"],"filter":%s}"""
                .formatted(quote(cohort), within(cohort, countryIs("US"))));

    updateOk(kiln, "{\"segment_id\":" + quote(id) + ",\"tags\":[\"b\",\"c\"]}");
    JsonNode afterTags = details(kiln, id);
    assertThat(texts(afterTags.path("tags"))).containsExactly("b", "c");
    assertThat(afterTags.path("name").asText()).isEqualTo(cohort);
    assertThat(afterTags.path("text_description").asText()).isEqualTo("first words");
    assertThat(size(kiln, id)).as("the filter is kept").isEqualTo(3);

    updateOk(kiln, "{\"segment_id\":" + quote(id) + ",\"description\":\"second words\"}");
    JsonNode afterDescription = details(kiln, id);
    assertThat(afterDescription.path("text_description").asText()).isEqualTo("second words");
    assertThat(texts(afterDescription.path("tags"))).containsExactly("b", "c");
    assertThat(texts(listedItem(id).path("tags"))).containsExactly("b", "c");

    updateOk(kiln, "{\"segment_id\":" + quote(id) + ",\"tags\":[]}");
    assertThat(details(kiln, id).path("tags")).as("tags cleared").isEqualTo(json("[]"));
  }

  @Test
  void updateWithABadFilterIsRejectedAndLeavesTheSegmentAsItWas() {
    String cohort = uid("bad-update");
    trackPopulation(kiln, cohort);
    String id = createOk(kiln, cohort, within(cohort, countryIs("US")));
    JsonNode before = details(kiln, id);

    assertError(
        update(
            kiln,
            """
        {"segment_id":%s,"name":"renamed","filter":{"and":[{"attribute":"country","op":"greater","value":"US"}]}}"""
                .formatted(quote(id))),
        400,
        "filter.and[0].op:");

    assertThat(details(kiln, id)).as("details after the refused update").isEqualTo(before);
    assertThat(size(kiln, id)).isEqualTo(3);
  }

  /** Like create, update refuses a blank name, and the segment keeps its name. */
  @Test
  void updateRefusesABlankName() {
    String cohort = uid("blank-name");
    String id = createOk(kiln, cohort, within(cohort, countryIs("US")));
    assertThat(create(kiln, "{\"name\":\"\",\"filter\":{\"and\":[]}}").status())
        .as("create with a blank name")
        .isEqualTo(400);

    Response response = update(kiln, "{\"segment_id\":" + quote(id) + ",\"name\":\"\"}");
    assertThat(response.status()).as("update with a blank name: %s", response).isEqualTo(400);
    assertThat(details(kiln, id).path("name").asText())
        .as("name after the update")
        .isEqualTo(cohort);
  }

  // --- delete ---

  @Test
  void deleteArchivesTheSegment() {
    String cohort = uid("delete");
    trackPopulation(kiln, cohort);
    String gone = createOk(kiln, cohort + " gone", within(cohort, countryIs("US")));
    String kept = createOk(kiln, cohort + " kept", within(cohort, countryIs("FR")));
    assertThat(listedItem(gone)).isNotNull();

    SegmentFixtures.assertSuccess(delete(kiln, gone), "delete");

    assertThat(allListedIds()).as("list after the delete").doesNotContain(gone).contains(kept);
    assertError(sizeResponse(kiln, gone), 404, "").contains(gone);
    assertError(detailsResponse(kiln, gone), 404, "").contains(gone);
    assertError(update(kiln, "{\"segment_id\":" + quote(gone) + ",\"name\":\"back\"}"), 404, "")
        .contains(gone);
    assertError(delete(kiln, gone), 404, "").contains(gone);
    assertThat(size(kiln, kept)).as("the other segment").isEqualTo(2);
  }

  @Test
  void anUnknownSegmentIdIs404WithAClearMessage() {
    String unknown = uid("no-such-segment");
    assertError(sizeResponse(kiln, unknown), 404, "").contains(unknown);
    assertError(detailsResponse(kiln, unknown), 404, "").contains(unknown);
    assertError(update(kiln, "{\"segment_id\":" + quote(unknown) + ",\"name\":\"x\"}"), 404, "")
        .contains(unknown);
    assertError(delete(kiln, unknown), 404, "").contains(unknown);
  }

  @Test
  void aMissingSegmentIdIs400() {
    assertError(kiln.get("/segments/size"), 400, "").contains("segment_id");
    assertError(kiln.get("/segments/details"), 400, "").contains("segment_id");
    assertError(kiln.get("/segments/size?segment_id="), 400, "").contains("segment_id");
    assertError(update(kiln, "{\"name\":\"x\"}"), 400, "").contains("segment_id");
    assertError(SegmentFixtures.post(kiln, "/segments/delete", "{}"), 400, "")
        .contains("segment_id");
  }

  // --- validation ---
  // Each refusal's path and rule: FilterParserStructureTest (kiln-segment); the name, tags and a
  // missing filter: SegmentDraftsTest. Here, one refused filter is a 400 that creates nothing.

  @Test
  void aBadOperatorNamesThePathOfTheNodeAndTheRule() {
    String name = uid("bad-op");
    assertError(
            create(
                kiln,
                """
        {"name":%s,"filter":{"and":[{"attribute":"country","op":"greater","value":"US"}]}}"""
                    .formatted(quote(name))),
            400,
            "filter.and[0].op: ")
        .contains("greater", "equals");
    assertThat(allListedNames()).as("nothing was created").doesNotContain(name);
  }

  // --- other segments ---

  @Test
  void membershipOfAnotherSegmentCountsInSizes() {
    String cohort = uid("membership");
    trackPopulation(kiln, cohort);
    String us = createOk(kiln, cohort + " US", within(cohort, countryIs("US")));
    String inUs = createOk(kiln, cohort + " in US", within(cohort, inSegment(us)));
    String notInUs = createOk(kiln, cohort + " not in US", within(cohort, notInSegment(us)));
    String proInUs =
        createOk(
            kiln,
            cohort + " pro in US",
            within(
                cohort,
                "{\"and\":["
                    + inSegment(us)
                    + ",{\"custom_attribute\":\"plan\",\"op\":\"equals\",\"value\":\"pro\"}]}"));
    String nested =
        createOk(kiln, cohort + " not in (pro in US)", within(cohort, notInSegment(proInUs)));

    assertThat(size(kiln, inUs)).as("in US").isEqualTo(3);
    assertThat(size(kiln, notInUs)).as("not in US").isEqualTo(2);
    assertThat(size(kiln, proInUs)).as("pro and in US").isEqualTo(2);
    assertThat(size(kiln, nested)).as("not in (pro and in US)").isEqualTo(3);
    assertThat(details(kiln, inUs).path("description").asText()).contains(us);

    // references follow the referenced segment as stored now
    updateOk(
        kiln,
        "{\"segment_id\":" + quote(us) + ",\"filter\":" + within(cohort, countryIs("FR")) + "}");
    assertThat(size(kiln, inUs)).as("in US after it became FR").isEqualTo(2);
    assertThat(size(kiln, notInUs)).as("not in US after it became FR").isEqualTo(3);
    assertThat(size(kiln, proInUs)).as("pro and in US after it became FR").isEqualTo(1);
  }

  @Test
  void aSegmentOthersReferToCannotBeDeletedUntilTheyStop() {
    String cohort = uid("referenced");
    trackPopulation(kiln, cohort);
    String us = createOk(kiln, cohort + " US", within(cohort, countryIs("US")));
    String user = createOk(kiln, cohort + " not US", within(cohort, notInSegment(us)));

    assertError(delete(kiln, us), 409, "").contains(us, user, cohort + " not US");
    assertThat(size(kiln, us)).as("the referenced segment is still active").isEqualTo(3);
    assertThat(size(kiln, user)).as("its user still evaluates").isEqualTo(2);

    updateOk(
        kiln,
        "{\"segment_id\":" + quote(user) + ",\"filter\":" + within(cohort, countryIs("FR")) + "}");
    SegmentFixtures.assertSuccess(delete(kiln, us), "delete once no segment refers to it");
    assertError(sizeResponse(kiln, us), 404, "").contains(us);
  }

  @Test
  void aTwoSegmentCycleViaUpdateIsRejectedAndTheSegmentIsUnchanged() {
    String cohort = uid("cycle");
    trackPopulation(kiln, cohort);
    String a = createOk(kiln, cohort + " A", within(cohort, countryIs("US")));
    String b = createOk(kiln, cohort + " B", within(cohort, inSegment(a)));
    JsonNode aBefore = details(kiln, a);

    assertError(
            update(
                kiln,
                "{\"segment_id\":"
                    + quote(a)
                    + ",\"name\":\"A2\",\"filter\":"
                    + within(cohort, notInSegment(b))
                    + "}"),
            400,
            "filter")
        .contains(a, b);

    assertThat(details(kiln, a)).as("A after the refused update").isEqualTo(aBefore);
    assertThat(size(kiln, a)).isEqualTo(3);
    assertThat(size(kiln, b)).isEqualTo(3);
  }

  // --- list ---

  @Test
  void listItemsHaveBrazesShape() {
    String cohort = uid("shape");
    String id =
        createOk(
            kiln,
            """
        {"name":%s,"tags":["t1","t2"],"filter":%s}"""
                .formatted(quote(cohort), within(cohort, countryIs("US"))));
    JsonNode item = listedItem(id);
    assertThat(item).as("the new segment in the list").isNotNull();
    assertThat(fieldNames(item))
        .containsExactlyInAnyOrder("id", "name", "analytics_tracking_enabled", "tags");
    assertThat(item.path("name").asText()).isEqualTo(cohort);
    assertThat(item.path("analytics_tracking_enabled").isBoolean()).isTrue();
    assertThat(texts(item.path("tags"))).containsExactly("t1", "t2");
  }

  /**
   * Edge case 34: page 1 holds items 101-200 by creation time ascending; archived segments are
   * omitted.
   */
  @Test
  void listPagesHoldAHundredSegmentsOldestFirstAndDescReverses() throws InterruptedException {
    try (RunningKiln own = RunningKiln.start()) {
      List<String> created = new ArrayList<>();
      for (int i = 0; i < 205; i++) {
        created.add(createOk(own, "page-" + i, "{\"or\":[]}"));
        Thread.sleep(2); // distinct creation times, so creation order is the only right order
      }

      assertThat(ids(list(own, "")))
          .as("no page given: page 0, oldest first")
          .isEqualTo(created.subList(0, 100));
      assertThat(ids(list(own, "?page=0&sort_direction=asc"))).isEqualTo(created.subList(0, 100));
      assertThat(ids(list(own, "?page=1")))
          .as("page 1: items 101-200")
          .isEqualTo(created.subList(100, 200));
      assertThat(ids(list(own, "?page=2")))
          .as("page 2: the last 5")
          .isEqualTo(created.subList(200, 205));
      assertThat(ids(list(own, "?page=3"))).as("page 3").isEmpty();

      List<String> newestFirst = created.reversed();
      assertThat(ids(list(own, "?sort_direction=desc")))
          .as("desc page 0")
          .isEqualTo(newestFirst.subList(0, 100));
      assertThat(ids(list(own, "?sort_direction=desc&page=1")))
          .as("desc page 1")
          .isEqualTo(newestFirst.subList(100, 200));
      assertThat(ids(list(own, "?sort_direction=desc&page=2")))
          .as("desc page 2")
          .isEqualTo(newestFirst.subList(200, 205));
      JsonNode page1 = list(own, "?page=1");
      assertThat(page1.get(0).path("name").asText())
          .as("first name on page 1")
          .isEqualTo("page-100");
      assertThat(page1.get(99).path("name").asText())
          .as("last name on page 1")
          .isEqualTo("page-199");

      // archive one segment on each page: the others move up
      List<String> archived = List.of(created.get(0), created.get(150), created.get(204));
      for (String id : archived) {
        SegmentFixtures.assertSuccess(delete(own, id), "delete");
      }
      List<String> remaining = new ArrayList<>(created);
      remaining.removeAll(archived);
      assertThat(ids(list(own, "")))
          .as("page 0 after archiving")
          .isEqualTo(remaining.subList(0, 100));
      assertThat(ids(list(own, "?page=1")))
          .as("page 1 after archiving")
          .isEqualTo(remaining.subList(100, 200));
      assertThat(ids(list(own, "?page=2")))
          .as("page 2 after archiving")
          .isEqualTo(remaining.subList(200, 202));
      assertThat(ids(list(own, "?sort_direction=desc&page=2")))
          .as("desc page 2 after archiving")
          .isEqualTo(remaining.reversed().subList(200, 202));
    }
  }

  @Test
  void anUpdateDoesNotMoveASegmentInTheList() throws InterruptedException {
    try (RunningKiln own = RunningKiln.start()) {
      String first = createOk(own, "first", "{\"or\":[]}");
      Thread.sleep(5);
      String second = createOk(own, "second", "{\"or\":[]}");
      Thread.sleep(5);
      updateOk(own, "{\"segment_id\":" + quote(first) + ",\"name\":\"first, renamed\"}");
      assertThat(ids(list(own, "")))
          .as("ordered by creation, not update")
          .containsExactly(first, second);
      assertThat(ids(list(own, "?sort_direction=desc"))).containsExactly(second, first);
    }
  }

  @Test
  void badListParametersAre400() {
    // Every refused value and its message: SegmentEndpointsTest.
    assertError(listResponse(kiln, "?page=-1"), 400, "").contains("page");
    assertError(listResponse(kiln, "?sort_direction=sideways"), 400, "").contains("sort_direction");
  }

  /** A page past the end is empty, however large its number (no overflow to the first page). */
  @Test
  void aHugePageNumberIsEmptyNotTheFirstPage() {
    try (RunningKiln own = RunningKiln.start()) {
      String id = createOk(own, "only", "{\"or\":[]}");
      assertThat(ids(list(own, ""))).containsExactly(id);

      Response response = listResponse(own, "?page=21474837");
      if (response.status() == 200) {
        assertThat(ids(response.json().path("segments")))
            .as("page 21474837 of 1 segment: %s", response)
            .isEmpty();
      } else {
        assertError(response, 400, "").contains("page");
      }
    }
  }

  // --- helpers over the shared server's whole list ---

  private static List<String> allListedIds() {
    List<String> ids = new ArrayList<>();
    for (int page = 0; ; page++) {
      JsonNode segments = list(kiln, "?page=" + page);
      ids.addAll(ids(segments));
      if (segments.size() < 100) {
        return ids;
      }
    }
  }

  private static List<String> allListedNames() {
    List<String> names = new ArrayList<>();
    for (int page = 0; ; page++) {
      JsonNode segments = list(kiln, "?page=" + page);
      segments.forEach(item -> names.add(item.path("name").asText()));
      if (segments.size() < 100) {
        return names;
      }
    }
  }

  /**
   * The list item of this segment, looked up over every page of the shared server's list; null if
   * absent.
   */
  private static JsonNode listedItem(String id) {
    for (int page = 0; ; page++) {
      JsonNode segments = list(kiln, "?page=" + page);
      JsonNode item = item(segments, id);
      if (item != null || segments.size() < 100) {
        return item;
      }
    }
  }
}
