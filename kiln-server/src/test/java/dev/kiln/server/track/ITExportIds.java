package dev.kiln.server.track;

import static dev.kiln.core.testing.DocumentedExportFields.FIELDS;
import static dev.kiln.core.testing.DocumentedExportFields.NOT_YET_HELD;
import static dev.kiln.server.testing.TestJson.fieldNames;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.texts;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.alias;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.daysAgo;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.onlyUser;
import static dev.kiln.server.track.TrackFixtures.sent;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.track.TrackFixtures.stringArray;
import static dev.kiln.server.track.TrackFixtures.trackOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /users/export/ids (docs/braze-reference.md sections 7 and 9, compatibility.md "POST
 * /users/export/ids"). The bodies refused as a whole are ExportIdsRequestTest's (kiln-ingest); one
 * such 400 through the server is ITTrackEdgeCases' (edge case 28), one more here (an unknown field
 * to export).
 */
class ITExportIds {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static Response export(String json) {
    return TrackFixtures.export(kiln, json);
  }

  /**
   * A user with every field Kiln holds set, except user_aliases (a user made by external_id has
   * none).
   */
  private static String fullUser(String prefix) {
    String id = uid(prefix);
    String time = sent(daysAgo(1));
    trackOk(
        kiln,
        """
        {"attributes":[{"external_id":"%1$s","first_name":"Jane","last_name":"Doe","email":"%1$s@example.com",
           "phone":"+442071838750","dob":"1980-12-21","gender":"F","country":"US","home_city":"Chicago","language":"en",
           "time_zone":"America/Chicago","email_subscribe":"opted_in","push_subscribe":"subscribed",
           "current_location":{"longitude":-87.62,"latitude":41.88},"loyalty":107}],
         "events":[{"external_id":"%1$s","name":"e","time":"%2$s"}],
         "purchases":[{"external_id":"%1$s","product_id":"p","currency":"USD","price":65,"time":"%2$s"}]}"""
            .formatted(id, time),
        "\"attributes_processed\":1,\"events_processed\":1,\"purchases_processed\":1");
    return id;
  }

  // --- identifiers ---

  @Test
  void byExternalIds() {
    String a = uid("exp-ext-a");
    String b = uid("exp-ext-b");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"A"}"""
            .formatted(a));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"B"}"""
            .formatted(b));

    Response response =
        export(
            """
        {"external_ids":["%s","%s"],"fields_to_export":["external_id","first_name"]}"""
                .formatted(a, b));

    assertThat(response.status()).isEqualTo(200);
    assertThat(fieldNames(response.json())).containsExactlyInAnyOrder("message", "users");
    assertThat(response.json().path("users"))
        .containsExactlyInAnyOrder(
            json("{\"external_id\":\"" + a + "\",\"first_name\":\"A\"}"),
            json("{\"external_id\":\"" + b + "\",\"first_name\":\"B\"}"));
  }

  @Test
  void byUserAliasWithTheAliasListed() {
    String name = uid("exp-alias");
    setAttributes(
        kiln,
        """
        {"user_alias":%s,"_update_existing_only":false,"first_name":"Al"}"""
            .formatted(alias(name, "amplitude_id")));

    assertBody(
        export(
            """
        {"user_aliases":[%s],"fields_to_export":["user_aliases","first_name","external_id"]}"""
                .formatted(alias(name, "amplitude_id"))),
        200,
        """
        {"message":"success","users":[{"user_aliases":[%s],"first_name":"Al"}]}"""
            .formatted(alias(name, "amplitude_id")));
  }

  @Test
  void aliasesAreMatchedByLabelAndNameTogether() {
    String name = uid("exp-alias-pair");
    setAttributes(
        kiln,
        """
        {"user_alias":%s,"_update_existing_only":false}"""
            .formatted(alias(name, "label_a")));

    assertBody(
        export(
            """
        {"user_aliases":[%s]}"""
                .formatted(alias(name, "label_b"))),
        200,
        """
        {"message":"success","users":[],"invalid_user_ids":["%s"]}"""
            .formatted(name));
  }

  @Test
  void byBrazeIdTakenFromAFirstExport() {
    String id = uid("exp-braze");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"B"}"""
            .formatted(id));
    String brazeId = exportedUser(kiln, id).path("braze_id").asText();

    assertBody(
        export(
            """
        {"braze_id":"%s","fields_to_export":["external_id","braze_id"]}"""
                .formatted(brazeId)),
        200,
        """
        {"message":"success","users":[{"external_id":"%s","braze_id":"%s"}]}"""
            .formatted(id, brazeId));
  }

  @Test
  void byEmailAddress() {
    assertFoundBy("email_address", "email", uid("exp-email") + "@example.com");
  }

  @Test
  void byPhone() {
    assertFoundBy("phone", "phone", "+3315555" + (1000 + (int) (Math.random() * 8999)));
  }

  /** A new user with this value of the attribute is the one user the export by requestKey finds. */
  private static void assertFoundBy(String requestKey, String attribute, String value) {
    String id = uid("exp-" + attribute);
    setAttributes(
        kiln,
        """
        {"external_id":"%s","%s":"%s"}"""
            .formatted(id, attribute, value));

    assertBody(
        export(
            """
        {"%s":"%s","fields_to_export":["external_id","%s"]}"""
                .formatted(requestKey, value, attribute)),
        200,
        """
        {"message":"success","users":[{"external_id":"%s","%s":"%s"}]}"""
            .formatted(id, attribute, value));
  }

  @Test
  void idsThatNameTheSameUserGiveThatUserOnce() {
    String id = uid("exp-dedupe");
    String email = id + "@example.com";
    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"%s"}"""
            .formatted(id, email));
    String brazeId = exportedUser(kiln, id).path("braze_id").asText();

    assertBody(
        export(
            """
        {"external_ids":["%1$s","%1$s"],"braze_id":"%2$s","email_address":"%3$s","fields_to_export":["external_id"]}"""
                .formatted(id, brazeId, email)),
        200,
        """
        {"message":"success","users":[{"external_id":"%s"}]}"""
            .formatted(id));
  }

  @Test
  void anAliasGivenTwiceAndItsBrazeIdGiveTheUserOnce() {
    String name = uid("exp-dedupe-alias");
    setAttributes(
        kiln,
        """
        {"user_alias":%s,"_update_existing_only":false,"email":"%s@example.com"}"""
            .formatted(alias(name, "l"), name));
    String brazeId = TrackFixtures.exportedAliasUser(kiln, name, "l").path("braze_id").asText();

    assertBody(
        export(
            """
        {"user_aliases":[%1$s,%1$s],"braze_id":"%2$s","fields_to_export":["braze_id"]}"""
                .formatted(alias(name, "l"), brazeId)),
        200,
        """
        {"message":"success","users":[{"braze_id":"%s"}]}"""
            .formatted(brazeId));
  }

  // --- invalid_user_ids ---

  // Each user once, ids that name nobody as sent, a device_id and no invalid_user_ids when every
  // id resolves: ExportIdsEndpointTest; here, that the store misses every kind of unknown id.

  @Test
  void unknownIdsOfEveryKindAreListedAsSent() {
    String external = uid("exp-unknown");
    String aliasName = uid("exp-unknown-alias");
    String brazeId = "aaaaaaaaaaaaaaaaaaaaaaaa";
    String email = uid("exp-unknown") + "@example.com";

    Response response =
        export(
            """
        {"external_ids":["%s"],"user_aliases":[%s],"braze_id":"%s","email_address":"%s"}"""
                .formatted(external, alias(aliasName, "l"), brazeId, email));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("message").asText()).isEqualTo("success");
    assertThat(response.json().path("users")).isEqualTo(json("[]"));
    assertThat(texts(response.json().path("invalid_user_ids")))
        .containsExactlyInAnyOrder(external, aliasName, brazeId, email);

    String phone = "+15555550199";
    assertBody(
        export(
            """
        {"phone":"%s"}"""
                .formatted(phone)),
        200,
        """
        {"message":"success","users":[],"invalid_user_ids":["%s"]}"""
            .formatted(phone));
  }

  // --- request validation ---

  @Test
  void fiftyExternalIdsAndAliasesAreAccepted() {
    String prefix = uid("exp-50");
    String externalIds =
        stringArray(IntStream.range(0, 30).mapToObj(i -> prefix + "-e" + i).toArray(String[]::new));
    String aliases =
        IntStream.range(0, 20)
            .mapToObj(i -> alias(prefix + "-a" + i, "l"))
            .collect(Collectors.joining(",", "[", "]"));

    Response response =
        export("{\"external_ids\":" + externalIds + ",\"user_aliases\":" + aliases + "}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("users")).isEqualTo(json("[]"));
    assertThat(response.json().path("invalid_user_ids").size()).isEqualTo(50);
  }

  // --- fields ---

  @Test
  void fieldsToExportReturnsOnlyTheRequestedFields() {
    String id = fullUser("exp-fields");
    JsonNode user =
        onlyUser(
            export(
                """
        {"external_ids":["%s"],"fields_to_export":["first_name","email","custom_attributes","purchases"]}"""
                    .formatted(id)));

    assertThat(fieldNames(user))
        .containsExactlyInAnyOrder("first_name", "email", "custom_attributes", "purchases");
    assertThat(user.path("first_name").asText()).isEqualTo("Jane");
    assertThat(user.path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"loyalty":107}"""));
  }

  @Test
  void anUnknownFieldToExportIsA400() {
    String id = fullUser("exp-unknown-field");
    assertBody(
        export(
            """
        {"external_ids":["%s"],"fields_to_export":["first_name","favorite_color"]}"""
                .formatted(id)),
        400,
        """
        {"message":"'favorite_color' is not a field that can be exported"}""");
  }

  @Test
  void fieldsKilnDoesNotHoldYetAreAcceptedAndOmitted() {
    String id = fullUser("exp-not-yet");
    List<String> requested = new ArrayList<>(NOT_YET_HELD);
    requested.add("first_name");

    JsonNode user =
        onlyUser(
            export(
                """
        {"external_ids":["%s"],"fields_to_export":%s}"""
                    .formatted(id, stringArray(requested.toArray(String[]::new)))));

    assertThat(fieldNames(user)).containsExactly("first_name");
  }

  @Test
  void everyHeldFieldIsExportedWhenFieldsToExportIsAbsent() {
    String id = fullUser("exp-all");
    JsonNode user = exportedUser(kiln, id);

    assertThat(fieldNames(user))
        .containsExactlyInAnyOrder(
            "created_at",
            "external_id",
            "braze_id",
            "random_bucket",
            "first_name",
            "last_name",
            "email",
            "dob",
            "home_city",
            "country",
            "phone",
            "language",
            "time_zone",
            "last_coordinates",
            "gender",
            "total_revenue",
            "push_subscribe",
            "email_subscribe",
            "custom_attributes",
            "custom_events",
            "purchases");
    assertThat(user.path("last_coordinates")).isEqualTo(json("[-87.62,41.88]"));
    assertThat(user.path("time_zone").asText()).isEqualTo("America/Chicago");
    assertThat(user.path("total_revenue").decimalValue()).isEqualByComparingTo("65");
    assertThat(user.path("custom_events").size()).isEqualTo(1);
    assertThat(user.path("purchases").size()).isEqualTo(1);
    assertThat(FIELDS).containsAll(fieldNames(user));
  }

  @Test
  void emptyOrUnsetFieldsAreOmitted() {
    String id = uid("exp-empty");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"Only","gone":"x"}"""
            .formatted(id));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","gone":null}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);

    assertThat(fieldNames(user))
        .contains("created_at", "external_id", "braze_id", "random_bucket", "first_name");
    assertThat(fieldNames(user))
        .doesNotContainAnyElementsOf(
            List.of(
                "last_name",
                "email",
                "dob",
                "home_city",
                "country",
                "phone",
                "language",
                "time_zone",
                "last_coordinates",
                "gender",
                "custom_attributes",
                "custom_events",
                "purchases",
                "user_aliases"));
    assertThat(fieldNames(user)).doesNotContainAnyElementsOf(NOT_YET_HELD);
    for (String field : fieldNames(user)) {
      assertThat(user.get(field).isNull()).as("field %s is null: %s", field, user).isFalse();
    }
  }

  @Test
  void createdAtUsesBrazesSampleFormatAndIsTheCreationTime() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String id = uid("exp-created");
    setAttributes(
        kiln,
        """
        {"external_id":"%s"}"""
            .formatted(id));
    Instant after = Instant.now();

    String createdAt = exportedUser(kiln, id).path("created_at").asText();
    assertThat(createdAt).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} UTC");
    Instant created =
        LocalDateTime.parse(
                createdAt.substring(0, 23), DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS"))
            .toInstant(ZoneOffset.UTC);
    assertThat(created).isBetween(before, after);

    // assigned once: a later update does not change it
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"Later"}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("created_at").asText()).isEqualTo(createdAt);
  }

  @Test
  void brazeIdIs24LowercaseHexAndDiffersBetweenUsers() {
    String a = uid("exp-bid-a");
    String b = uid("exp-bid-b");
    setAttributes(
        kiln,
        """
        {"external_id":"%s"}"""
            .formatted(a));
    setAttributes(
        kiln,
        """
        {"external_id":"%s"}"""
            .formatted(b));

    String brazeA = exportedUser(kiln, a).path("braze_id").asText();
    String brazeB = exportedUser(kiln, b).path("braze_id").asText();
    assertThat(brazeA).matches("[0-9a-f]{24}");
    assertThat(brazeB).matches("[0-9a-f]{24}");
    assertThat(brazeA).isNotEqualTo(brazeB);

    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"Later"}"""
            .formatted(a));
    assertThat(exportedUser(kiln, a).path("braze_id").asText()).isEqualTo(brazeA);
  }

  @Test
  void randomBucketIsAnIntegerFrom0To9999AssignedOnce() {
    for (int i = 0; i < 5; i++) {
      String id = uid("exp-bucket");
      setAttributes(
          kiln,
          """
          {"external_id":"%s"}"""
              .formatted(id));
      JsonNode bucket = exportedUser(kiln, id).path("random_bucket");
      assertThat(bucket.isIntegralNumber()).as("random_bucket %s", bucket).isTrue();
      assertThat(bucket.intValue()).isBetween(0, 9999);

      setAttributes(
          kiln,
          """
          {"external_id":"%s","first_name":"Later"}"""
              .formatted(id));
      assertThat(exportedUser(kiln, id).path("random_bucket")).isEqualTo(bucket);
    }
  }
}
