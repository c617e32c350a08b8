package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.fieldNames;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.assertAttributesRejected;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.assertNothingValid;
import static dev.kiln.server.track.TrackFixtures.error;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.track.TrackFixtures.track;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Custom attributes (docs/braze-reference.md sections 3.2-3.5) through /users/track and back
 * through /users/export/ids, with Kiln's decisions from compatibility.md "Custom attributes". The
 * bounds the decoder refuses are TrackDecoderCustomAttributesTest's (kiln-ingest); what each array
 * and inc operation leaves (the duplicates, the cap of 25, add, remove, inc from zero, nested
 * objects replaced or merged, arrays of objects added to, removed from and updated) is
 * CustomAttributeOpTest's (kiln-core), and one of each kind goes through the server here.
 */
class ITTrackCustomAttributes {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  /**
   * Tracks {"external_id": id, ...fields} and expects 201
   * {"message":"success","attributes_processed":1}.
   */
  private static void set(String id, String fields) {
    setAttributes(kiln, "{\"external_id\":\"" + id + "\"," + fields + "}");
  }

  private static JsonNode customAttributes(String id) {
    return exportedUser(kiln, id).path("custom_attributes");
  }

  // --- scalars ---

  @Test
  void stringsOfUpTo255CharactersAreKept() {
    String id = uid("ca-str");
    String ascii = "s".repeat(255);
    String accented = "é".repeat(255); // 255 characters, 510 bytes: the limit is on characters
    set(id, "\"ascii\":\"" + ascii + "\",\"accented\":\"" + accented + "\",\"empty\":\"\"");

    assertThat(customAttributes(id))
        .isEqualTo(
            json(
                """
        {"ascii":"%s","accented":"%s","empty":""}"""
                    .formatted(ascii, accented)));
  }

  @Test
  void anAttributeNameOf255CharactersIsKept() {
    // One character more: TrackDecoderCustomAttributesTest.
    String id = uid("ca-name-long");
    set(id, "\"" + "n".repeat(255) + "\":\"x\"");
    assertThat(fieldNames(customAttributes(id))).containsExactly("n".repeat(255));
  }

  @Test
  void numbersAndBooleansKeepTheirJsonTypes() {
    String id = uid("ca-types");
    set(
        id,
        """
        "int":7,"negative":-2,"float":1.5,"yes":true,"no":false,"numeric_string":"321\"""");

    assertThat(customAttributes(id))
        .isEqualTo(
            json(
                """
        {"int":7,"negative":-2,"float":1.5,"yes":true,"no":false,"numeric_string":"321"}"""));
  }

  @Test
  void nullRemovesTheAttribute() {
    String id = uid("ca-null");
    set(
        id,
        """
        "gone":"x","also_gone":[1,2],"nested_gone":{"a":1},"kept":true""");

    set(
        id,
        """
        "gone":null,"also_gone":null,"nested_gone":null""");

    assertThat(customAttributes(id))
        .isEqualTo(
            json(
                """
        {"kept":true}"""));
  }

  // --- dates (section 3.3) ---

  @Test
  void dateStringsInEveryAcceptedFormatAreStoredAsTimesAndExportedAsIsoStrings() {
    String id = uid("ca-dates");
    set(
        id,
        """
        "iso_z":"2021-03-04T05:06:07Z",
        "iso_offset":"2021-03-04T05:06:07+02:00",
        "iso_millis":"2021-03-04T05:06:07.123Z",
        "date_only":"2021-03-04",
        "us_date":"03/04/2021",
        "space_separated":"2021-03-04 05:06:07",
        "t_without_zone":"2021-03-04T05:06:07",
        "year_3000":"3000-01-01\"""");

    assertThat(customAttributes(id))
        .isEqualTo(
            json(
                """
        {"iso_z":"2021-03-04T05:06:07.000Z",
         "iso_offset":"2021-03-04T03:06:07.000Z",
         "iso_millis":"2021-03-04T05:06:07.123Z",
         "date_only":"2021-03-04T00:00:00.000Z",
         "us_date":"2021-03-04T00:00:00.000Z",
         "space_separated":"2021-03-04T05:06:07.000Z",
         "t_without_zone":"2021-03-04T05:06:07.000Z",
         "year_3000":"3000-01-01T00:00:00.000Z"}"""));
  }

  @Test
  void aDateAfterTheYear3000StaysAString() {
    String id = uid("ca-dates-far");
    set(
        id,
        """
        "far_day":"3001-01-01","far_time":"3500-06-07T08:09:10Z","words":"not a date\"""");

    assertThat(customAttributes(id))
        .isEqualTo(
            json(
                """
        {"far_day":"3001-01-01","far_time":"3500-06-07T08:09:10Z","words":"not a date"}"""));
  }

  // --- inc ---

  @Test
  void incAddsPositiveAndNegativeAmounts() {
    String id = uid("ca-inc");
    set(id, "\"points\":100,\"ratio\":1.5");

    set(id, "\"points\":{\"inc\":25},\"ratio\":{\"inc\":1}");
    assertThat(customAttributes(id))
        .isEqualTo(
            json(
                """
        {"points":125,"ratio":2.5}"""));

    set(id, "\"points\":{\"inc\":-130}");
    assertThat(customAttributes(id).path("points")).isEqualTo(json("-5"));
  }

  @Test
  void incWithANonNumberIsAnError() {
    String id = uid("ca-inc-bad");
    set(id, "\"n\":1");

    assertAttributesRejected(
        kiln,
        """
        {"external_id":"%s","n":{"inc":"5"}}"""
            .formatted(id),
        "'inc' of custom attribute 'n' must be a number");
    assertThat(customAttributes(id))
        .isEqualTo(
            json(
                """
        {"n":1}"""));
  }

  @Test
  void incBeyondADoublesRangeIsTheObjectsErrorAndNothingOfTheObjectIsApplied() {
    String id = uid("ca-inc-overflow");
    set(id, "\"big\":1.5e308,\"low\":-1.5e308,\"n\":1");

    Response response =
        track(
            kiln,
            """
        {"attributes":[{"external_id":"%1$s","n":{"inc":1},"big":{"inc":1e308}},
          {"external_id":"%1$s","low":{"inc":-1e308}},{"external_id":"%1$s","other":true}]}"""
                .formatted(id));
    assertBody(
        response,
        201,
        "{\"message\":\"success\",\"attributes_processed\":1,\"errors\":["
            + error(
                "'inc' would take 'big' beyond 1.7976931348623157e308, the largest number Kiln stores",
                "attributes",
                0)
            + ","
            + error(
                "'inc' would take 'low' beyond 1.7976931348623157e308, the largest number Kiln stores",
                "attributes",
                1)
            + "]}");
    JsonNode stored = customAttributes(id);
    assertThat(stored.path("big").doubleValue()).isEqualTo(1.5e308);
    assertThat(stored.path("low").doubleValue()).isEqualTo(-1.5e308);
    assertThat(stored.path("n").asLong()).as("the refused object's other inc").isEqualTo(1);
    assertThat(stored.path("other").asBoolean()).as("the next object").isTrue();

    assertAttributesRejected(
        kiln,
        """
        {"external_id":"%s","big":{"inc":1e308}}"""
            .formatted(id),
        "'inc' would take 'big' beyond 1.7976931348623157e308, the largest number Kiln stores");
    assertNothingValid(
        kiln.post(
            "/users/track/sync",
            """
        {"attributes":[{"external_id":"%s","big":{"inc":1e308}}]}"""
                .formatted(id)),
        error(
            "'inc' would take 'big' beyond 1.7976931348623157e308, the largest number Kiln stores",
            "attributes",
            0));
    assertThat(customAttributes(id).path("big").doubleValue()).isEqualTo(1.5e308);
  }

  // --- arrays of scalars ---

  @Test
  void aLiteralArrayReplacesTheStoredOne() {
    String id = uid("ca-arr-replace");
    set(
        id,
        """
        "tags":["a","b"]""");
    set(
        id,
        """
        "tags":["c"]""");
    assertThat(customAttributes(id).path("tags"))
        .isEqualTo(
            json(
                """
        ["c"]"""));
  }

  @Test
  void addAndRemoveInOneObjectAddFirstThenRemove() {
    String id = uid("ca-arr-add-remove");
    set(
        id,
        """
        "tags":["a","b"]""");

    set(
        id,
        """
        "tags":{"add":["c","d"],"remove":["a","d"]}""");

    assertThat(customAttributes(id).path("tags"))
        .isEqualTo(
            json(
                """
        ["b","c"]"""));
  }

  @Test
  void addOrRemoveThatIsNotAnArrayIsAnError() {
    // The same for 'remove': TrackDecoderAttributeValuesTest.
    String id = uid("ca-arr-bad");
    set(
        id,
        """
        "tags":["a"]""");

    assertAttributesRejected(
        kiln,
        """
        {"external_id":"%s","tags":{"add":"b"}}"""
            .formatted(id),
        "'add' of custom attribute 'tags' must be an array");
    assertThat(customAttributes(id).path("tags"))
        .isEqualTo(
            json(
                """
        ["a"]"""));
  }

  // --- nested objects (section 3.4) ---

  @Test
  void mergeObjectsDeepMergesAtEveryLevel() {
    String id = uid("ca-obj-merge");
    set(
        id,
        """
        "car":{"make":"VW","model":{"name":"Golf","engine":{"fuel":"petrol","hp":110}}}""");

    set(
        id,
        """
        "_merge_objects":true,"car":{"color":"red","model":{"engine":{"hp":150},"year":2020}}""");

    assertThat(customAttributes(id).path("car"))
        .isEqualTo(
            json(
                """
        {"make":"VW","color":"red","model":{"name":"Golf","year":2020,"engine":{"fuel":"petrol","hp":150}}}"""));
  }

  @Test
  void nestedObjectsKeepEverySupportedValueType() {
    String id = uid("ca-obj-types");
    set(
        id,
        """
        "o":{"n":1,"f":2.5,"s":"x","b":false,"arr":["a","b"],"obj":{"k":"v"},"list":[{"k":1},{"k":2}]}""");
    assertThat(customAttributes(id).path("o"))
        .isEqualTo(
            json(
                """
        {"n":1,"f":2.5,"s":"x","b":false,"arr":["a","b"],"obj":{"k":"v"},"list":[{"k":1},{"k":2}]}"""));
  }

  @Test
  void timeInANestedObjectIsStoredAsATime() {
    String id = uid("ca-obj-time");
    set(
        id,
        """
        "visit":{"when":{"$time":"2021-03-04"},"at":{"$time":"2021-03-04T05:06:07+02:00"},"where":"Paris"}""");

    JsonNode visit = customAttributes(id).path("visit");
    assertThat(fieldNames(visit)).containsExactlyInAnyOrder("when", "at", "where");
    assertExportedTime(visit.path("when"), "2021-03-04T00:00:00.000Z");
    assertExportedTime(visit.path("at"), "2021-03-04T03:06:07.000Z");
    assertThat(visit.path("where").asText()).isEqualTo("Paris");
  }

  /**
   * compatibility.md says only that a nested {@code $time} is "stored as a time"; the exported form
   * of a nested time is not fixed, so both an ISO string and {@code {"$time": ISO}} are accepted
   * here.
   */
  private static void assertExportedTime(JsonNode value, String iso) {
    if (value.isObject()) {
      assertThat(value)
          .as("nested time exported as an object")
          .isEqualTo(json("{\"$time\":\"" + iso + "\"}"));
    } else {
      assertThat(value.isTextual()).as("nested time %s", value).isTrue();
      assertThat(value.asText()).isEqualTo(iso);
    }
  }

  @Test
  void aBadOrNullTimeLeavesTheWholeNestedAttributeUntouchedButAppliesTheRest() {
    String id = uid("ca-obj-bad-time");
    set(
        id,
        """
        "o":{"a":1},"p":{"a":1},"q":{"a":1}""");

    set(
        id,
        """
        "o":{"a":2,"when":{"$time":"garbage"}},"first_name":"Applied","plain":"applied\"""");
    set(
        id,
        """
        "_merge_objects":true,"p":{"a":2,"deep":{"when":{"$time":null}}},"other":1""");
    set(
        id,
        """
        "q":{"a":2,"when":{"$time":"13/45/2021"}}""");

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"o":{"a":1},"p":{"a":1},"q":{"a":1},"plain":"applied","other":1}"""));
    assertThat(user.path("first_name").asText()).isEqualTo("Applied");
  }

  @Test
  void aBadTimeDropsOnlyItsOwnNestedAttributeNotTheOtherNestedOnesOfTheObject() {
    // compatibility.md: "that attribute is not updated at all, the rest of the object is"
    // (docs/braze-reference.md section 2.5 [INF] quotes Braze's wording "all nested custom
    // attribute updates in the request"; Kiln decided per attribute).
    String id = uid("ca-obj-bad-time-other");
    set(
        id,
        """
        "bad":{"a":1},"good":{"a":1}""");

    set(
        id,
        """
        "bad":{"a":2,"when":{"$time":"garbage"}},"good":{"a":2}""");

    assertThat(customAttributes(id))
        .isEqualTo(
            json(
                """
        {"bad":{"a":1},"good":{"a":2}}"""));
  }

  @Test
  void aNestedObjectWithAnInvalidKeyOrValueIsNotUpdatedAndTheRestIsApplied() {
    String id = uid("ca-obj-invalid");
    set(
        id,
        """
        "dot":{"a":1},"dollar":{"a":1},"space":{"a":1},"long":{"a":1}""");

    set(
        id,
        """
        "dot":{"a.b":2},"dollar":{"$x":2},"space":{"a b":2},"long":{"a":"%s"},"applied":"yes\""""
            .formatted("s".repeat(256)));

    assertThat(customAttributes(id))
        .isEqualTo(
            json(
                """
        {"dot":{"a":1},"dollar":{"a":1},"space":{"a":1},"long":{"a":1},"applied":"yes"}"""));
  }

  // --- arrays of objects (section 3.5) ---

  @Test
  void anArrayOfObjectsLiteralReplacesTheWholeArray() {
    String id = uid("ca-aoo-literal");
    set(
        id,
        """
        "pets":[{"id":1,"type":"dog"},{"id":2,"type":"cat"}]""");
    set(
        id,
        """
        "pets":[{"id":3,"type":"fish"}]""");
    assertThat(customAttributes(id).path("pets"))
        .isEqualTo(
            json(
                """
        [{"id":3,"type":"fish"}]"""));
  }

  @Test
  void updateWithMergeObjectsDeepMergesTheMatchedItem() {
    String id = uid("ca-aoo-merge");
    set(
        id,
        """
        "pets":[{"id":1,"type":"dog","info":{"age":3}},{"id":2,"type":"cat","info":{"age":5}}]""");

    set(
        id,
        """
        "_merge_objects":true,"pets":{"$update":[
          {"$identifier_key":"id","$identifier_value":1,"$new_object":{"info":{"name":"Rex"},"vaccinated":true}}]}""");

    assertThat(customAttributes(id).path("pets"))
        .isEqualTo(
            json(
                """
        [{"id":1,"type":"dog","info":{"age":3,"name":"Rex"},"vaccinated":true},{"id":2,"type":"cat","info":{"age":5}}]"""));
  }

  @Test
  void addRemoveAndUpdateInOneRequestApplyInTheOrderAddRemoveUpdate() {
    String id = uid("ca-aoo-order");
    set(
        id,
        """
        "pets":[{"id":1,"type":"cat","name":"a"},{"id":2,"type":"dog","name":"b"}]""");

    // remove after add: the added dog goes too. update after add: the added bird is found and
    // merged.
    set(
        id,
        """
        "_merge_objects":true,"pets":{
          "$update":[{"$identifier_key":"id","$identifier_value":4,"$new_object":{"name":"z"}}],
          "$remove":[{"$identifier_key":"type","$identifier_value":"dog"}],
          "$add":[{"id":3,"type":"dog","name":"c"},{"id":4,"type":"bird","name":"d"}]}""");

    assertThat(customAttributes(id).path("pets"))
        .isEqualTo(
            json(
                """
        [{"id":1,"type":"cat","name":"a"},{"id":4,"type":"bird","name":"z"}]"""));
  }
}
