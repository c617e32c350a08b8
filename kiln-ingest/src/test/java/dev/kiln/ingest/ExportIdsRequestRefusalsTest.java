package dev.kiln.ingest;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The /users/export/ids bodies refused as a whole (docs/braze-reference.md section 7, edge case 28
 * (docs/braze-reference.md)), with the words of the 400: too many ids, several contact identifiers,
 * none at all. One such 400 through the server is ITTrackEdgeCases' (edge case 28).
 */
class ExportIdsRequestRefusalsTest {
  private static final String TOO_MANY = "The max number of external_ids and aliases per request was exceeded";

  private static void assertRefused(String json, String message) {
    Refusals.assertAllRefused(ExportIdsRequest::decode, message, List.of(json));
  }

  private static String externalIds(int count) {
    return IntStream.range(0, count).mapToObj(i -> "\"exp-51-" + i + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  private static String aliases(int count) {
    return IntStream.range(0, count).mapToObj(i -> "{\"alias_name\":\"exp-51-" + i + "\",\"alias_label\":\"l\"}")
        .collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void fiftyOneExternalIdsOrAliasesAreFatal() {
    assertRefused("{\"external_ids\":" + externalIds(51) + "}", TOO_MANY);
    assertRefused("{\"user_aliases\":" + aliases(51) + "}", TOO_MANY);
    assertRefused("{\"external_ids\":" + externalIds(26) + ",\"user_aliases\":" + aliases(25) + "}", TOO_MANY);
  }

  @Test
  void onlyOneOfDeviceIdEmailAddressAndPhoneMayBeGiven() {
    String message = "Only one of 'device_id', 'email_address' or 'phone' may be given";
    assertRefused("{\"email_address\":\"a@example.com\",\"phone\":\"+15555550100\"}", message);
    assertRefused("{\"device_id\":\"d\",\"email_address\":\"a@example.com\"}", message);
    assertRefused("{\"external_ids\":[\"x\"],\"device_id\":\"d\",\"phone\":\"+15555550100\"}", message);
  }

  @Test
  void atLeastOneIdentifierIsRequired() {
    String message = "At least one of 'external_ids', 'user_aliases', 'braze_id', 'device_id', "
        + "'email_address' or 'phone' must be given";
    assertRefused("{}", message);
    assertRefused("{\"fields_to_export\":[\"email\"]}", message);
  }
}
