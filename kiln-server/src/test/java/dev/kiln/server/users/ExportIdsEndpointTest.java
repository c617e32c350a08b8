package dev.kiln.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.server.http.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@code POST /users/export/ids} answers for the users a store finds, without a server: each
 * user once however many ids name it, the ids that name nobody as they were sent, a device_id
 * always among them, and no {@code invalid_user_ids} when every id resolved. That the store finds
 * users by each kind of id is ITExportIds'.
 */
class ExportIdsEndpointTest {
  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
  private static final String BRAZE_ID = "0123456789abcdef01234567";
  private static final UserProfile JANE =
      UserProfile.blank(BRAZE_ID, 1, NOW)
          .withExternalId("jane")
          .withAlias(new UserAlias("jane-alias", "l"));

  /** A store holding Jane, found by her external_id, alias, braze_id and email. */
  private static final Map<UserLookup, UserProfile> STORE =
      Map.of(
          new UserLookup.ExternalId("jane"), JANE,
          new UserLookup.Alias(new UserAlias("jane-alias", "l")), JANE,
          new UserLookup.BrazeId(BRAZE_ID), JANE,
          new UserLookup.Email("jane@example.com"), JANE);

  @Test
  void idsThatNameTheSameUserGiveThatUserOnce() throws IOException {
    assertAnswer(
        """
        {"external_ids":["jane","jane"],"braze_id":"%s","email_address":"jane@example.com",
         "fields_to_export":["external_id"]}"""
            .formatted(BRAZE_ID),
        """
        {"message":"success","users":[{"external_id":"jane"}]}""");
  }

  @Test
  void anAliasGivenTwiceAndItsBrazeIdGiveTheUserOnce() throws IOException {
    assertAnswer(
        """
        {"user_aliases":[{"alias_name":"jane-alias","alias_label":"l"},
          {"alias_name":"jane-alias","alias_label":"l"}],"braze_id":"%1$s","fields_to_export":["braze_id"]}"""
            .formatted(BRAZE_ID),
        """
        {"message":"success","users":[{"braze_id":"%s"}]}"""
            .formatted(BRAZE_ID));
  }

  @Test
  void invalidUserIdsIsOmittedWhenEveryIdResolves() throws IOException {
    JsonNode answer = answer("{\"external_ids\":[\"jane\"]}");

    assertThat(answer.fieldNames()).toIterable().containsExactlyInAnyOrder("message", "users");
  }

  @Test
  void unknownIdsOfEveryKindAreListedAsSent() throws IOException {
    assertAnswer(
        """
        {"external_ids":["nobody"],"user_aliases":[{"alias_name":"no-alias","alias_label":"l"}],
         "braze_id":"aaaaaaaaaaaaaaaaaaaaaaaa","email_address":"nobody@example.com"}""",
        """
        {"message":"success","users":[],
         "invalid_user_ids":["nobody","no-alias","aaaaaaaaaaaaaaaaaaaaaaaa","nobody@example.com"]}""");
    assertAnswer(
        "{\"phone\":\"+15555550199\"}",
        """
        {"message":"success","users":[],"invalid_user_ids":["+15555550199"]}""");
  }

  @Test
  void aDeviceIdNeverMatches() throws IOException {
    assertAnswer(
        """
        {"external_ids":["jane"],"device_id":"device-jane","fields_to_export":["external_id"]}""",
        """
        {"message":"success","users":[{"external_id":"jane"}],"invalid_user_ids":["device-jane"]}""");
  }

  private static void assertAnswer(String request, String expected) throws IOException {
    assertThat(answer(request)).isEqualTo(Json.MAPPER.readTree(expected));
  }

  private static JsonNode answer(String request) throws IOException {
    ObjectNode body = (ObjectNode) Json.MAPPER.readTree(request);
    return Json.MAPPER.valueToTree(
        ExportIdsEndpoint.answer(body, lookup -> Optional.ofNullable(STORE.get(lookup)), NOW));
  }
}
