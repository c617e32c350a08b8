package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.IDENTIFIER_REQUIRED;
import static dev.kiln.server.track.TrackFixtures.alias;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.assertNoAliasUser;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.assertNothingValid;
import static dev.kiln.server.track.TrackFixtures.daysAgo;
import static dev.kiln.server.track.TrackFixtures.error;
import static dev.kiln.server.track.TrackFixtures.exported;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.sent;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.track.TrackFixtures.trackOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /users/track/sync (docs/braze-reference.md section 2.6, compatibility.md "POST
 * /users/track/sync"): exactly one object, 201 once applied, with a {@code users} entry echoing the
 * identifier and the resulting data.
 */
class ITTrackSync {
  private static final String EXACTLY_ONE =
      "Exactly one attributes, event or purchase object must be provided.";

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static Response sync(String json) {
    return TrackFixtures.post(kiln, "/users/track/sync", json);
  }

  @Test
  void attributesEchoTheExternalIdAndOnlyTheCustomAttributesSent() {
    String id = uid("sync-attr");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","old":"kept"}"""
            .formatted(id));

    assertBody(
        sync(
            """
        {"attributes":[{"external_id":"%s","color":"red","size":3,"vip":true}]}"""
                .formatted(id)),
        201,
        """
        {"users":[{"external_id":"%s","custom_attributes":{"color":"red","size":3,"vip":true}}],"message":"success"}"""
            .formatted(id));

    // applied before the answer: the next read sees it, next to what was there before
    assertThat(exportedUser(kiln, id).path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"old":"kept","color":"red","size":3,"vip":true}"""));
  }

  @Test
  void attributesEchoTheResultingValuesOfOperations() {
    String id = uid("sync-ops");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","count":10,"tags":["a","b"]}"""
            .formatted(id));

    assertBody(
        sync(
            """
        {"attributes":[{"external_id":"%s","count":{"inc":5},"tags":{"add":["c"],"remove":["a"]}}]}"""
                .formatted(id)),
        201,
        """
        {"users":[{"external_id":"%s","custom_attributes":{"count":15,"tags":["b","c"]}}],"message":"success"}"""
            .formatted(id));
  }

  @Test
  void attributesByAliasEchoTheAlias() {
    String name = uid("sync-alias");
    setAttributes(
        kiln,
        """
        {"user_alias":%s,"_update_existing_only":false,"first_name":"A"}"""
            .formatted(alias(name, "l")));

    assertBody(
        sync(
            """
        {"attributes":[{"user_alias":%s,"tier":"gold"}]}"""
                .formatted(alias(name, "l"))),
        201,
        """
        {"users":[{"user_alias":%s,"custom_attributes":{"tier":"gold"}}],"message":"success"}"""
            .formatted(alias(name, "l")));
  }

  @Test
  void attributesByEmailEchoTheEmail() {
    String email = uid("sync-email") + "@example.com";
    assertBody(
        sync(
            """
        {"attributes":[{"email":"%s","tier":"silver"}]}"""
                .formatted(email)),
        201,
        """
        {"users":[{"email":"%s","custom_attributes":{"tier":"silver"}}],"message":"success"}"""
            .formatted(email));
  }

  @Test
  void anEventGivesItsCustomEventsAggregate() {
    String id = uid("sync-event");
    Instant time = daysAgo(1);
    assertBody(
        sync(
            """
        {"events":[{"external_id":"%s","name":"played","time":"%s"}]}"""
                .formatted(id, sent(time))),
        201,
        """
        {"users":[{"external_id":"%s","custom_events":[{"name":"played","first":"%s","last":"%s","count":1}]}],
         "message":"success"}"""
            .formatted(id, exported(time), exported(time)));
  }

  @Test
  void anEventAggregateIncludesEarlierOccurrences() {
    String id = uid("sync-event-again");
    Instant earlier = daysAgo(3);
    Instant later = daysAgo(1);
    trackOk(
        kiln,
        """
        {"events":[{"external_id":"%s","name":"played","time":"%s"}]}"""
            .formatted(id, sent(earlier)),
        "\"events_processed\":1");

    Response response =
        sync(
            """
        {"events":[{"external_id":"%s","name":"played","time":"%s"}]}"""
                .formatted(id, sent(later)));

    assertThat(response.status()).isEqualTo(201);
    JsonNode entry = response.json().path("users").path(0);
    assertThat(entry.path("external_id").asText()).isEqualTo(id);
    assertThat(entry.path("custom_events"))
        .isEqualTo(
            json(
                """
        [{"name":"played","first":"%s","last":"%s","count":2}]"""
                    .formatted(exported(earlier), exported(later))));
  }

  @Test
  void aPurchaseGivesItsPurchaseEventsAggregate() {
    String id = uid("sync-purchase");
    Instant time = daysAgo(1);
    assertBody(
        sync(
            """
        {"purchases":[{"external_id":"%s","product_id":"sku","currency":"USD","price":2.5,"quantity":2,"time":"%s"}]}"""
                .formatted(id, sent(time))),
        201,
        """
        {"users":[{"external_id":"%s","purchase_events":[{"product_id":"sku","first":"%s","last":"%s","count":2}]}],
         "message":"success"}"""
            .formatted(id, exported(time), exported(time)));
    assertThat(exportedUser(kiln, id).path("total_revenue").decimalValue())
        .isEqualByComparingTo("5");
  }

  @Test
  void noUserFoundAndNothingCreatedGivesAnEmptyUsersList() {
    String id = uid("sync-none");
    assertBody(
        sync(
            """
        {"attributes":[{"external_id":"%s","_update_existing_only":true,"a":1}]}"""
                .formatted(id)),
        201,
        """
        {"users":[],"message":"success"}""");
    assertNoUser(kiln, id);

    String name = uid("sync-none-alias");
    assertBody(
        sync(
            """
        {"events":[{"user_alias":%s,"name":"e","time":"%s"}]}"""
                .formatted(alias(name, "l"), sent(daysAgo(1)))),
        201,
        """
        {"users":[],"message":"success"}""");
    assertNoAliasUser(kiln, name, "l");
  }

  @Test
  void moreThanOneObjectIsFatalAndNothingIsStored() {
    String id = uid("sync-two");
    assertBody(
        sync(
            """
        {"attributes":[{"external_id":"%1$s","a":1},{"external_id":"%1$s","b":2}]}"""
                .formatted(id)),
        400,
        """
        {"message":"%s"}"""
            .formatted(EXACTLY_ONE));
    // no object, or one in each of two arrays, is refused alike: TrackSyncEndpointTest
    assertNoUser(kiln, id);
  }

  @Test
  void anInvalidObjectIsRejectedLikeTrackDoes() {
    assertNothingValid(
        sync(
            """
        {"attributes":[{"first_name":"nobody"}]}"""),
        error(IDENTIFIER_REQUIRED, "attributes", 0));
  }
}
