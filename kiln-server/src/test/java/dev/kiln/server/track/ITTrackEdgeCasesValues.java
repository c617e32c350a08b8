package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.assertAttributesRejected;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.TestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Edge cases 12-23 (docs/braze-reference.md section 13): what /users/track makes of the values of
 * standard and custom attributes (email_subscribe, gender, country, null, arrays, $add/$remove,
 * $inc, times, nested objects and arrays of objects), one test per case; effects are observed
 * through /users/export/ids. Cases 1-11 and 24-28 are ITTrackEdgeCases'.
 */
class ITTrackEdgeCasesValues {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  // --- 12 ---

  @Test
  void edgeCase12_emailSubscribeAcceptsExactlyThreeValues() {
    String id = uid("ec12");
    assertAttributesRejected(
        kiln,
        """
        {"external_id":"%s","email_subscribe":"yes"}"""
            .formatted(id),
        "'email_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'");
    assertNoUser(kiln, id);

    for (String state : List.of("opted_in", "unsubscribed", "subscribed")) {
      setAttributes(
          kiln,
          """
          {"external_id":"%s","email_subscribe":"%s"}"""
              .formatted(id, state));
      assertThat(exportedUser(kiln, id).path("email_subscribe").asText()).isEqualTo(state);
    }
  }

  // --- 13 ---

  @Test
  void edgeCase13_unknownGenderIsIgnoredAndTheRestOfTheObjectApplied() {
    String id = uid("ec13");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","gender":"F"}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","gender":"X","first_name":"G"}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("gender").asText()).isEqualTo("F");
    assertThat(user.path("first_name").asText()).isEqualTo("G");
  }

  // --- 14 ---

  @Test
  void edgeCase14_countryNameIsMappedAndAnUnmappableOneStoredAsNull() {
    String id = uid("ec14");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","country":"Australia"}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("country").asText()).isEqualTo("AU");

    setAttributes(
        kiln,
        """
        {"external_id":"%s","country":"Narnia"}"""
            .formatted(id));
    JsonNode user = exportedUser(kiln, id);
    assertThat(user.has("country")).as("country is null, so omitted: %s", user).isFalse();
  }

  // --- 15 ---

  @Test
  void edgeCase15_nullRemovesACustomAttributeButNotTheExternalId() {
    String id = uid("ec15");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","my_attr":"v","kept":"k"}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","my_attr":null}"""
            .formatted(id));
    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"kept":"k"}"""));

    // external_id: null is ignored (compatibility.md: cannot be removed)
    String brazeId = user.path("braze_id").asText();
    setAttributes(
        kiln,
        """
        {"braze_id":"%s","external_id":null,"first_name":"Still"}"""
            .formatted(brazeId));
    JsonNode after = exportedUser(kiln, id);
    assertThat(after.path("external_id").asText()).isEqualTo(id);
    assertThat(after.path("first_name").asText()).isEqualTo("Still");
  }

  // --- 16 ---

  @Test
  void edgeCase16_arrayLiteralKeepsUniqueValues() {
    String id = uid("ec16");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","foods":["hotdog","hotdog","hotdog","pizza"]}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes").path("foods"))
        .isEqualTo(
            json(
                """
        ["hotdog","pizza"]"""));
  }

  // --- 17 ---

  @Test
  void edgeCase17_addMovesAPresentValueToTheEndAndRemoveDeletes() {
    String id = uid("ec17");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","letters":["a","b","c"]}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","letters":{"add":["a"]}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes").path("letters"))
        .isEqualTo(
            json(
                """
        ["b","c","a"]"""));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","letters":{"remove":["b"]}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes").path("letters"))
        .isEqualTo(
            json(
                """
        ["c","a"]"""));
  }

  // --- 18 ---

  @Test
  void edgeCase18_addingToAFullArrayDropsTheOldest() {
    String id = uid("ec18");
    List<String> full = IntStream.rangeClosed(1, 25).mapToObj(i -> "v" + i).toList();
    setAttributes(
        kiln,
        """
        {"external_id":"%s","seen":%s}"""
            .formatted(id, TrackFixtures.stringArray(full.toArray(String[]::new))));
    assertThat(TestJson.texts(exportedUser(kiln, id).path("custom_attributes").path("seen")))
        .isEqualTo(full);

    setAttributes(
        kiln,
        """
        {"external_id":"%s","seen":{"add":["z"]}}"""
            .formatted(id));

    List<String> expected = new ArrayList<>(full.subList(1, 25));
    expected.add("z");
    assertThat(TestJson.texts(exportedUser(kiln, id).path("custom_attributes").path("seen")))
        .hasSize(25)
        .isEqualTo(expected);
  }

  // --- 19 ---

  @Test
  void edgeCase19_incAddsAndSubtracts() {
    String id = uid("ec19");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","count":10}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","count":{"inc":5}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"count":15}"""));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","count":{"inc":-3}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"count":12}"""));
  }

  // --- 20 ---

  @Test
  void edgeCase20_dateLikeStringsBecomeTimesUnlessTheYearIsOver3000() {
    String id = uid("ec20");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","d":"2021-03-04","us":"12/1/2021","far":"3001-01-01"}"""
            .formatted(id));

    assertThat(exportedUser(kiln, id).path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"d":"2021-03-04T00:00:00.000Z","us":"2021-12-01T00:00:00.000Z","far":"3001-01-01"}"""));
  }

  // --- 21 ---

  @Test
  void edgeCase21_nestedObjectIsOverwrittenByDefaultAndDeepMergedWithMergeObjects() {
    String merged = uid("ec21-merge");
    String replaced = uid("ec21-replace");
    for (String id : List.of(merged, replaced)) {
      setAttributes(
          kiln,
          """
          {"external_id":"%s","o":{"a":1,"b":{"c":2}}}"""
              .formatted(id));
    }

    setAttributes(
        kiln,
        """
        {"external_id":"%s","_merge_objects":true,"o":{"b":{"d":3}}}"""
            .formatted(merged));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","o":{"b":{"d":3}}}"""
            .formatted(replaced));

    assertThat(exportedUser(kiln, merged).path("custom_attributes").path("o"))
        .isEqualTo(
            json(
                """
        {"a":1,"b":{"c":2,"d":3}}"""));
    assertThat(exportedUser(kiln, replaced).path("custom_attributes").path("o"))
        .isEqualTo(
            json(
                """
        {"b":{"d":3}}"""));
  }

  // --- 22 ---

  @Test
  void edgeCase22_badOrNullTimeLeavesTheNestedAttributeUntouched() {
    String id = uid("ec22");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","o":{"a":1},"p":{"a":1}}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","o":{"a":2,"when":{"$time":"garbage"}},"other":"applied"}"""
            .formatted(id));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","p":{"a":2,"when":{"$time":null}},"first_name":"Applied"}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"o":{"a":1},"p":{"a":1},"other":"applied"}"""));
    assertThat(user.path("first_name").asText()).isEqualTo("Applied");
  }

  // --- 23 ---

  @Test
  void edgeCase23_removeDeletesEveryMatchingItem() {
    String id = uid("ec23-remove");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":[{"id":1,"type":"dog"},{"id":2,"type":"cat"},{"id":3,"type":"dog"}]}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":{"$remove":[{"$identifier_key":"type","$identifier_value":"dog"}]}}"""
            .formatted(id));

    assertThat(exportedUser(kiln, id).path("custom_attributes").path("pets"))
        .isEqualTo(
            json(
                """
        [{"id":2,"type":"cat"}]"""));
  }

  @Test
  void edgeCase23_updateWithoutMergeObjectsReplacesTheMatchedItem() {
    String id = uid("ec23-update");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":[{"id":1,"type":"dog","name":"Rex"},{"id":2,"type":"cat","name":"Tom"}]}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":{"$update":[
          {"$identifier_key":"id","$identifier_value":1,"$new_object":{"id":1,"name":"Max"}}]}}"""
            .formatted(id));

    assertThat(exportedUser(kiln, id).path("custom_attributes").path("pets"))
        .isEqualTo(
            json(
                """
        [{"id":1,"name":"Max"},{"id":2,"type":"cat","name":"Tom"}]"""));
  }

  @Test
  void edgeCase23_addRemoveAndUpdateInOneRequestApplyInThatOrder() {
    String id = uid("ec23-order");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":[{"id":1,"type":"cat","name":"a"}]}"""
            .formatted(id));

    // add first (so the added dog is then removed), remove second, update last (so the added bird
    // is found).
    setAttributes(
        kiln,
        """
        {"external_id":"%s","_merge_objects":true,"pets":{
          "$add":[{"id":2,"type":"dog","name":"b"},{"id":3,"type":"bird","name":"c"}],
          "$remove":[{"$identifier_key":"type","$identifier_value":"dog"}],
          "$update":[{"$identifier_key":"id","$identifier_value":3,"$new_object":{"name":"z"}}]}}"""
            .formatted(id));

    assertThat(exportedUser(kiln, id).path("custom_attributes").path("pets"))
        .isEqualTo(
            json(
                """
        [{"id":1,"type":"cat","name":"a"},{"id":3,"type":"bird","name":"z"}]"""));
  }
}
