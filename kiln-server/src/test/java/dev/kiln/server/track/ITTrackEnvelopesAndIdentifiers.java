package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.IDENTIFIER_REQUIRED;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.assertNothingValid;
import static dev.kiln.server.track.TrackFixtures.daysAgo;
import static dev.kiln.server.track.TrackFixtures.error;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.named;
import static dev.kiln.server.track.TrackFixtures.onlyUser;
import static dev.kiln.server.track.TrackFixtures.sent;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.track.TrackFixtures.trackOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import dev.kiln.server.testing.TestJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The response envelopes and identifier rules of compatibility.md "POST /users/track", through the
 * server: the counts and errors a request is answered with, the refusals of a body's shape, and how
 * braze_id, phone and _update_existing_only find or create users. The decoder's own words for each
 * bad shape are TrackDecoderEnvelopeTest's and TrackDecoderIdentifiersTest's (kiln-ingest).
 */
class ITTrackEnvelopesAndIdentifiers {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static Response track(String json) {
    return TrackFixtures.track(kiln, json);
  }

  private static Response export(String json) {
    return TrackFixtures.export(kiln, json);
  }

  // --- response envelopes (compatibility.md "Request and response") ---

  @Test
  void envelope_onlyAttributesSentGivesOnlyAttributesProcessed() {
    assertBody(
        track(
            """
        {"attributes":[{"external_id":"%s","first_name":"A"}]}"""
                .formatted(uid("env-attr"))),
        201,
        """
        {"message":"success","attributes_processed":1}""");
  }

  @Test
  void envelope_onlyEventsOrOnlyPurchasesSentGiveOnlyTheirCount() {
    String time = sent(daysAgo(1));
    assertBody(
        track(
            """
        {"events":[{"external_id":"%s","name":"e","time":"%s"}]}"""
                .formatted(uid("env-ev"), time)),
        201,
        """
        {"message":"success","events_processed":1}""");
    assertBody(
        track(
            """
        {"purchases":[{"external_id":"%s","product_id":"p","currency":"USD","price":1,"time":"%s"}]}"""
                .formatted(uid("env-pu"), time)),
        201,
        """
        {"message":"success","purchases_processed":1}""");
  }

  @Test
  void envelope_allThreeArraysGiveAllThreeCounts() {
    String id = uid("env-all");
    String time = sent(daysAgo(1));
    assertBody(
        track(
            """
        {"attributes":[{"external_id":"%1$s","first_name":"A"}],
         "events":[{"external_id":"%1$s","name":"e","time":"%2$s"},{"external_id":"%1$s","name":"f","time":"%2$s"}],
         "purchases":[{"external_id":"%1$s","product_id":"p","currency":"USD","price":1,"time":"%2$s"}]}"""
                .formatted(id, time)),
        201,
        """
        {"message":"success","attributes_processed":1,"events_processed":2,"purchases_processed":1}""");
  }

  @Test
  void envelope_countsIncludeOnlyValidObjectsAndErrorsNameTheOthers() {
    String id = uid("env-mixed");
    String time = sent(daysAgo(1));
    Response response =
        track(
            """
        {"attributes":[{"external_id":"%1$s","first_name":"A"},{"first_name":"B"}],
         "events":[{"external_id":"%1$s","name":"e","time":"%2$s"},{"external_id":"%1$s","name":"e","time":"%2$s"}],
         "purchases":[{"external_id":"%1$s","product_id":"p","currency":"NOPE","price":1,"time":"%2$s"},
                      {"external_id":"%1$s","product_id":"p","currency":"USD","price":1,"time":"%2$s"}]}"""
                .formatted(id, time));

    assertBody(
        response,
        201,
        """
        {"message":"success","attributes_processed":1,"events_processed":2,"purchases_processed":1,"errors":[%s,%s]}"""
            .formatted(
                error(IDENTIFIER_REQUIRED, "attributes", 1),
                error("'currency' must be an ISO 4217 currency", "purchases", 0)));
    JsonNode user = exportedUser(kiln, id);
    assertThat(named(user.path("custom_events"), "e").path("count").asInt()).isEqualTo(2);
    assertThat(named(user.path("purchases"), "p").path("count").asInt()).isEqualTo(1);
  }

  @Test
  void envelope_noObjectAtAllIs400WithAnEmptyErrorsList() {
    // Three empty arrays, and every object refused: TrackEndpointTest.
    assertNothingValid(track("{}"));
  }

  @Test
  void envelope_anArrayFieldThatIsNotAnArrayIsFatalAndNothingIsStored() {
    // The other arrays: TrackDecoderEnvelopeTest.
    String id = uid("env-notarray");
    assertBody(
        track(
            """
        {"attributes":[{"external_id":"%s","first_name":"A"}],"events":{"name":"e"}}"""
                .formatted(id)),
        400,
        """
        {"message":"'events' must be an array"}""");
    assertNoUser(kiln, id);
  }

  @Test
  void envelope_aJsonArrayBodyIs400() {
    assertBody(
        track("[]"),
        400,
        """
        {"message":"The request body must be a JSON object, not an array"}""");
  }

  @Test
  void envelope_malformedJsonIs400InKilnsOwnWords() {
    Response response = kiln.post("/users/track", "{\"attributes\": [");
    assertThat(response.status()).isEqualTo(400);
    assertThat(fieldNamesOf(response.json())).containsExactly("message");
    assertThat(response.json().path("message").asText())
        .startsWith("Malformed JSON in the request body: ");
  }

  private static List<String> fieldNamesOf(JsonNode node) {
    return TestJson.fieldNames(node);
  }

  // --- identifiers (compatibility.md "Identifiers") ---

  @Test
  void identifier_brazeIdUpdatesTheUserItNames() {
    String id = uid("ids-braze");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"A"}"""
            .formatted(id));
    String brazeId = exportedUser(kiln, id).path("braze_id").asText();

    setAttributes(
        kiln,
        """
        {"braze_id":"%s","first_name":"B"}"""
            .formatted(brazeId));

    assertThat(exportedUser(kiln, id).path("first_name").asText()).isEqualTo("B");
  }

  @Test
  void identifier_unknownBrazeIdIsANoOpCountedAsProcessed() {
    String brazeId = "0123456789abcdef01234567";
    assertBody(
        track(
            """
        {"attributes":[{"braze_id":"%s","first_name":"Ghost"}]}"""
                .formatted(brazeId)),
        201,
        """
        {"message":"success","attributes_processed":1}""");
    assertBody(
        export(
            """
        {"braze_id":"%s"}"""
                .formatted(brazeId)),
        200,
        """
        {"message":"success","users":[],"invalid_user_ids":["%s"]}"""
            .formatted(brazeId));
  }

  @Test
  void identifier_unknownPhoneCreatesAPhoneOnlyProfileThatLaterObjectsResolve() {
    String phone = "+4420" + (10000000 + (int) (Math.random() * 89999999));
    setAttributes(
        kiln,
        """
        {"phone":"%s","first_name":"P"}"""
            .formatted(phone));
    JsonNode user =
        onlyUser(
            export(
                """
        {"phone":"%s"}"""
                    .formatted(phone)));
    assertThat(user.path("phone").asText()).isEqualTo(phone);
    assertThat(user.path("first_name").asText()).isEqualTo("P");
    assertThat(user.has("external_id")).isFalse();

    setAttributes(
        kiln,
        """
        {"phone":"%s","first_name":"Q"}"""
            .formatted(phone));
    JsonNode again =
        onlyUser(
            export(
                """
        {"phone":"%s"}"""
                    .formatted(phone)));
    assertThat(again.path("braze_id").asText()).isEqualTo(user.path("braze_id").asText());
    assertThat(again.path("first_name").asText()).isEqualTo("Q");
  }

  @Test
  void identifier_eventsForAnUnknownExternalIdCreateTheUserUnlessUpdateExistingOnly() {
    String created = uid("ids-ev-new");
    String notCreated = uid("ids-ev-not");
    String time = sent(daysAgo(1));
    trackOk(
        kiln,
        """
        {"events":[{"external_id":"%s","name":"e","time":"%s"},
                   {"external_id":"%s","name":"e","time":"%s","_update_existing_only":true}]}"""
            .formatted(created, time, notCreated, time),
        "\"events_processed\":2");

    assertThat(named(exportedUser(kiln, created).path("custom_events"), "e")).isNotNull();
    assertNoUser(kiln, notCreated);
  }
}
