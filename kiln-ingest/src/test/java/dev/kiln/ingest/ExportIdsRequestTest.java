package dev.kiln.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import org.junit.jupiter.api.Test;

/**
 * docs/braze-reference.md section 7 and edge case 28 there, and the /users/export/ids rows of
 * docs/compatibility.md.
 */
class ExportIdsRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOO_MANY =
      "The max number of external_ids and aliases per request was exceeded";
  private static final String ONLY_ONE_CONTACT =
      "Only one of 'device_id', 'email_address' or 'phone' may be given";
  private static final String NO_IDENTIFIER =
      "At least one of 'external_ids', 'user_aliases', 'braze_id', "
          + "'device_id', 'email_address' or 'phone' must be given";

  private static ObjectNode withIds(int externalIds, int aliases) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode ids = body.putArray("external_ids");
    for (int i = 0; i < externalIds; i++) {
      ids.add("user-" + i);
    }
    ArrayNode aliasNodes = body.putArray("user_aliases");
    for (int i = 0; i < aliases; i++) {
      aliasNodes.addObject().put("alias_name", "name-" + i).put("alias_label", "label");
    }
    return body;
  }

  // --- the 50-identifier limit (edge case 28) ---

  @Test
  void fiftyExternalIdsAreAccepted() {
    assertThat(ExportIdsRequest.decode(withIds(50, 0)).ids()).hasSize(50);
  }

  @Test
  void fiftyOneExternalIdsAreRejected() {
    assertThatThrownBy(() -> ExportIdsRequest.decode(withIds(51, 0)))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(TOO_MANY);
  }

  @Test
  void externalIdsAndAliasesCountTogetherTowardsFifty() {
    assertThat(ExportIdsRequest.decode(withIds(30, 20)).ids()).hasSize(50);
    assertThatThrownBy(() -> ExportIdsRequest.decode(withIds(30, 21)))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(TOO_MANY);
  }

  @Test
  void fiftyOneAliasesAreRejected() {
    assertThatThrownBy(() -> ExportIdsRequest.decode(withIds(0, 51)))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(TOO_MANY);
  }

  @Test
  void brazeIdAndContactDoNotCountTowardsFifty() {
    ObjectNode body = withIds(50, 0);
    body.put("braze_id", "5fbd99bac125ca40511f2cb1");
    body.put("email_address", "a@b.com");

    assertThat(ExportIdsRequest.decode(body).ids()).hasSize(52);
  }

  // --- identifiers ---

  @Test
  void identifiersAreDecodedInRequestOrderWithTheirRawStrings() {
    ExportIdsRequest request =
        ExportIdsRequest.decode(
            Bodies.body(
                "{\"external_ids\":[\"known\",\"unknown\"],"
                    + "\"user_aliases\":[{\"alias_name\":\"jane\",\"alias_label\":\"crm\"}],"
                    + "\"braze_id\":\"5fbd99bac125ca40511f2cb1\",\"email_address\":\"a@b.com\"}"));

    assertThat(request.ids())
        .containsExactly(
            new ExportIdsRequest.Id(new UserLookup.ExternalId("known"), "known"),
            new ExportIdsRequest.Id(new UserLookup.ExternalId("unknown"), "unknown"),
            new ExportIdsRequest.Id(new UserLookup.Alias(new UserAlias("jane", "crm")), "jane"),
            new ExportIdsRequest.Id(
                new UserLookup.BrazeId("5fbd99bac125ca40511f2cb1"), "5fbd99bac125ca40511f2cb1"),
            new ExportIdsRequest.Id(new UserLookup.Email("a@b.com"), "a@b.com"));
  }

  @Test
  void phoneIsAnIdentifier() {
    assertThat(ExportIdsRequest.decode(Bodies.body("{\"phone\":\"+15551234567\"}")).ids())
        .containsExactly(
            new ExportIdsRequest.Id(new UserLookup.Phone("+15551234567"), "+15551234567"));
  }

  @Test
  void deviceIdAloneIsAValidRequestThatNamesNoKilnUser() {
    ObjectNode body = Bodies.body("{\"device_id\":\"dev-1\"}");

    ExportIdsRequest request = ExportIdsRequest.decode(body);

    assertThat(request.ids()).isEmpty();
    assertThat(ExportIdsRequest.deviceId(body)).contains("dev-1");
  }

  @Test
  void deviceIdThatIsNotAStringIsRejectedWhileDecoding() {
    // The endpoint turns only decode's RejectedRequest into a 400; a device_id found wrong later
    // was a 500.
    assertThatThrownBy(() -> ExportIdsRequest.decode(Bodies.body("{\"device_id\":0}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("'device_id' must be a string");
  }

  @Test
  void emailAddressAndPhoneTogetherAreRejected() {
    assertThatThrownBy(
            () ->
                ExportIdsRequest.decode(
                    Bodies.body("{\"email_address\":\"a@b.com\",\"phone\":\"+15551234567\"}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(ONLY_ONE_CONTACT);
  }

  @Test
  void deviceIdAndEmailAddressTogetherAreRejected() {
    assertThatThrownBy(
            () ->
                ExportIdsRequest.decode(
                    Bodies.body("{\"device_id\":\"dev-1\",\"email_address\":\"a@b.com\"}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(ONLY_ONE_CONTACT);
  }

  @Test
  void deviceIdAndPhoneTogetherAreRejected() {
    assertThatThrownBy(
            () ->
                ExportIdsRequest.decode(
                    Bodies.body("{\"device_id\":\"dev-1\",\"phone\":\"+15551234567\"}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(ONLY_ONE_CONTACT);
  }

  @Test
  void twoContactsBesideExternalIdsAreRejected() {
    Bodies.assertRejected(
        ExportIdsRequest::decode,
        "{'external_ids':['x'],'device_id':'d','phone':'+15555550100'}",
        ONLY_ONE_CONTACT);
  }

  @Test
  void noIdentifierIsRejected() {
    assertThatThrownBy(
            () -> ExportIdsRequest.decode(Bodies.body("{\"fields_to_export\":[\"email\"]}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(NO_IDENTIFIER);
  }

  @Test
  void anEmptyBodyIsNoIdentifier() {
    Bodies.assertRejected(ExportIdsRequest::decode, "{}", NO_IDENTIFIER);
  }

  @Test
  void nullDeviceIdAloneIsNoIdentifier() {
    // {"device_id": null} names nothing, as a null device_id is absent everywhere else: it gets
    // the 400 of docs/compatibility.md ("No identifier at all"), not an empty export.
    assertThatThrownBy(() -> ExportIdsRequest.decode(Bodies.body("{\"device_id\":null}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(NO_IDENTIFIER);
  }

  @Test
  void emptyIdentifierArraysAreNoIdentifier() {
    assertThatThrownBy(
            () -> ExportIdsRequest.decode(Bodies.body("{\"external_ids\":[],\"user_aliases\":[]}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(NO_IDENTIFIER);
  }

  @Test
  void malformedAliasIsRejected() {
    assertThatThrownBy(
            () ->
                ExportIdsRequest.decode(
                    Bodies.body("{\"user_aliases\":[{\"alias_name\":\"jane\"}]}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(
            "each of 'user_aliases' must be an object with string 'alias_name' and 'alias_label'");
  }

  // --- fields_to_export ---

  @Test
  void absentFieldsToExportMeansAllFields() {
    assertThat(ExportIdsRequest.decode(Bodies.body("{\"external_ids\":[\"u1\"]}")).fields())
        .isEmpty();
  }

  @Test
  void fieldsToExportAreKept() {
    ExportIdsRequest request =
        ExportIdsRequest.decode(
            Bodies.body(
                "{\"external_ids\":[\"u1\"],\"fields_to_export\":[\"first_name\",\"email\",\"purchases\"]}"));

    assertThat(request.fields()).containsExactlyInAnyOrder("first_name", "email", "purchases");
  }

  @Test
  void fieldsKilnDoesNotHoldAreStillAccepted() {
    ExportIdsRequest request =
        ExportIdsRequest.decode(
            Bodies.body(
                "{\"external_ids\":[\"u1\"],\"fields_to_export\":[\"devices\",\"apps\",\"push_tokens\",\"uninstalled_at\"]}"));

    assertThat(request.fields())
        .containsExactlyInAnyOrder("devices", "apps", "push_tokens", "uninstalled_at");
  }

  @Test
  void unknownFieldToExportIsRejectedByName() {
    assertThatThrownBy(
            () ->
                ExportIdsRequest.decode(
                    Bodies.body(
                        "{\"external_ids\":[\"u1\"],\"fields_to_export\":[\"email\",\"shoe_size\"]}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("'shoe_size' is not a field that can be exported");
  }

  @Test
  void fieldNamesAreCaseSensitive() {
    assertThatThrownBy(
            () ->
                ExportIdsRequest.decode(
                    Bodies.body("{\"external_ids\":[\"u1\"],\"fields_to_export\":[\"Email\"]}")))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("'Email' is not a field that can be exported");
  }
}
