package dev.kiln.ingest;

import static dev.kiln.ingest.Refusals.assertAllRefused;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The /users/identify bodies refused as a whole (docs/user-management.md, docs/braze-reference.md
 * section 11), with the words of the 400, each beside a valid item that is then not applied either.
 * That such a 400 changes nothing stored is ITIdentify's (at most fifty identifications).
 */
class IdentifyRequestRefusalsTest {
  private static final String EACH_ALIAS = "each of 'aliases_to_identify' must have a string 'external_id' and a "
      + "'user_alias' object with string 'alias_name' and 'alias_label'";
  private static final String EACH_EMAIL =
      "each of 'emails_to_identify' must have a string 'external_id', a string 'email' and a 'prioritization' array";
  private static final String EACH_PHONE =
      "each of 'phone_numbers_to_identify' must have a string 'external_id', a string 'phone' and a 'prioritization' array";
  private static final String PRIORITIZATION = "'prioritization' must be a non-empty array of 'identified', 'unidentified', "
      + "'most_recently_updated' or 'least_recently_updated', with at most one of 'identified' and 'unidentified' "
      + "and at most one of the two recency values";
  /** A valid item of each array. */
  private static final String ALIAS_ITEM =
      "{\"external_id\":\"idf-id\",\"user_alias\":{\"alias_name\":\"idf-anon\",\"alias_label\":\"anon_id\"}}";
  private static final String EMAIL_ITEM = emailItem("idf-id", "idf@example.com", "[\"unidentified\"]");
  private static final String PHONE_ITEM = phoneItem("idf-id", "+15550001234", "[\"unidentified\"]");

  private static String emailItem(String externalId, String email, String prioritization) {
    return "{\"external_id\":\"" + externalId + "\",\"email\":\"" + email + "\",\"prioritization\":" + prioritization + "}";
  }

  private static String phoneItem(String externalId, String phone, String prioritization) {
    return "{\"external_id\":\"" + externalId + "\",\"phone\":\"" + phone + "\",\"prioritization\":" + prioritization + "}";
  }

  @Test
  void atLeastOneArrayMustBeGiven() {
    assertAllRefused(IdentifyRequest::decode, "at least one of 'aliases_to_identify', 'emails_to_identify' or 'phone_numbers_to_identify' must be given",
        List.of("{}", "{\"aliases_to_identify\":[]}",
            "{\"aliases_to_identify\":[],\"emails_to_identify\":[],\"phone_numbers_to_identify\":[]}",
            "{\"emails_to_identify\":[]}", "{\"other\":[" + ALIAS_ITEM + "]}"));
  }

  @Test
  void eachArrayMustBeAnArrayOfObjects() {
    String valid = "\"aliases_to_identify\":[" + ALIAS_ITEM + "]";
    List<String> values = List.of("\"x\"", "{}", "1", "[1]", "[null]", "[[]]", "[\"x\"]");
    assertAllRefused(IdentifyRequest::decode, "'aliases_to_identify' must be an array of objects", values.stream()
        .map(value -> "{\"aliases_to_identify\":" + value + ",\"emails_to_identify\":["
            + emailItem("idf-id", "a@example.com", "[\"identified\"]") + "]}").toList());
    assertAllRefused(IdentifyRequest::decode, "'emails_to_identify' must be an array of objects", values.stream()
        .map(value -> "{" + valid + ",\"emails_to_identify\":" + value + "}").toList());
    assertAllRefused(IdentifyRequest::decode, "'phone_numbers_to_identify' must be an array of objects", values.stream()
        .map(value -> "{" + valid + ",\"phone_numbers_to_identify\":" + value + "}").toList());
  }

  @Test
  void eachAliasToIdentifyNeedsAnExternalIdAndAUserAlias() {
    String alias = "{\"alias_name\":\"idf-anon\",\"alias_label\":\"anon_id\"}";
    assertAllRefused(IdentifyRequest::decode, EACH_ALIAS, Stream.of(
        "{\"user_alias\":" + alias + "}",
        "{\"external_id\":5,\"user_alias\":" + alias + "}",
        "{\"external_id\":null,\"user_alias\":" + alias + "}",
        "{\"external_id\":\"x\"}",
        "{\"external_id\":\"x\",\"user_alias\":\"anon_id:x\"}",
        "{\"external_id\":\"x\",\"user_alias\":{\"alias_name\":\"n\"}}",
        "{\"external_id\":\"x\",\"user_alias\":{\"alias_label\":\"l\"}}",
        "{\"external_id\":\"x\",\"user_alias\":{\"alias_name\":1,\"alias_label\":\"l\"}}",
        "{\"external_id\":\"x\",\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":[]}}")
        .map(item -> "{\"aliases_to_identify\":[" + ALIAS_ITEM + "," + item + "]}").toList());
  }

  @Test
  void eachEmailToIdentifyNeedsAnExternalIdAnEmailAndAPrioritizationArray() {
    assertAllRefused(IdentifyRequest::decode, EACH_EMAIL, Stream.of(
        "{\"email\":\"a@example.com\",\"prioritization\":[\"identified\"]}",
        "{\"external_id\":1,\"email\":\"a@example.com\",\"prioritization\":[\"identified\"]}",
        "{\"external_id\":\"x\",\"prioritization\":[\"identified\"]}",
        "{\"external_id\":\"x\",\"email\":5,\"prioritization\":[\"identified\"]}",
        "{\"external_id\":\"x\",\"email\":\"a@example.com\"}",
        "{\"external_id\":\"x\",\"email\":\"a@example.com\",\"prioritization\":\"identified\"}")
        .map(item -> "{\"emails_to_identify\":[" + EMAIL_ITEM + "," + item + "]}").toList());
  }

  @Test
  void eachPhoneToIdentifyNeedsAnExternalIdAPhoneAndAPrioritizationArray() {
    assertAllRefused(IdentifyRequest::decode, EACH_PHONE, Stream.of(
        "{\"phone\":\"+15550000000\",\"prioritization\":[\"identified\"]}",
        "{\"external_id\":[],\"phone\":\"+15550000000\",\"prioritization\":[\"identified\"]}",
        "{\"external_id\":\"x\",\"prioritization\":[\"identified\"]}",
        "{\"external_id\":\"x\",\"phone\":15550000000,\"prioritization\":[\"identified\"]}",
        "{\"external_id\":\"x\",\"phone\":\"+15550000000\"}",
        "{\"external_id\":\"x\",\"phone\":\"+15550000000\",\"prioritization\":{}}")
        .map(item -> "{\"phone_numbers_to_identify\":[" + PHONE_ITEM + "," + item + "]}").toList());
  }

  @Test
  void prioritizationMustBeAValidList() {
    List<String> bodies = new ArrayList<>();
    for (String prioritization : List.of("[]", "[\"identified\",\"unidentified\"]",
        "[\"most_recently_updated\",\"least_recently_updated\"]", "[\"identified\",\"identified\"]",
        "[\"unidentified\",\"most_recently_updated\",\"most_recently_updated\"]", "[\"newest\"]", "[1]", "[null]")) {
      bodies.add("{\"emails_to_identify\":[" + EMAIL_ITEM + "," + emailItem("x", "a@example.com", prioritization) + "]}");
      bodies.add("{\"phone_numbers_to_identify\":[" + phoneItem("x", "+15550000000", prioritization) + "]}");
    }
    assertAllRefused(IdentifyRequest::decode, PRIORITIZATION, bodies);
  }
}
