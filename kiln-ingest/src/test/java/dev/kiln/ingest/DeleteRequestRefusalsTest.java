package dev.kiln.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The /users/delete bodies refused as a whole (docs/user-management.md), with the exact words of the
 * 400. That such a refusal beside valid identifiers deletes nothing is ITDeleteUsers'.
 */
class DeleteRequestRefusalsTest {
  private static final String NOTHING_GIVEN =
      "at least one of 'external_ids', 'user_aliases', 'braze_ids', 'email_addresses' or 'phone_numbers' must be given";
  private static final String EXTERNAL_IDS_STRINGS = "'external_ids' must be an array of strings";
  private static final String BRAZE_IDS_STRINGS = "'braze_ids' must be an array of strings";
  private static final String ALIASES_OBJECTS =
      "'user_aliases' must be an array of objects with string 'alias_name' and 'alias_label'";
  private static final String EMAIL_ITEMS =
      "each of 'email_addresses' must have a string 'email' and a 'prioritization' array";
  private static final String PHONE_ITEMS = "each of 'phone_numbers' must have a string 'phone' and a 'prioritization' array";
  private static final String DELETE_PRIORITIZATION = "'prioritization' must be a non-empty array of 'identified', "
      + "'unidentified' or 'most_recently_updated', with at most one of 'identified' and 'unidentified'";

  private static String prioritized(String member, String value, String prioritization) {
    return "{\"" + member + "\":\"" + value + "\",\"prioritization\":" + prioritization + "}";
  }

  @Test
  void fatalErrorsHaveTheirExactTexts() {
    String valid = "\"external_ids\":[\"x\"]";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{}", NOTHING_GIVEN);
    cases.put("{\"external_ids\":[]}", NOTHING_GIVEN);
    cases.put("{\"external_ids\":[],\"user_aliases\":[],\"braze_ids\":[],\"email_addresses\":[],\"phone_numbers\":[]}", NOTHING_GIVEN);
    cases.put("{\"external_ids\":\"x\"}", EXTERNAL_IDS_STRINGS);
    cases.put("{\"external_ids\":[\"x\",1]}", EXTERNAL_IDS_STRINGS);
    cases.put("{\"external_ids\":[null]}", EXTERNAL_IDS_STRINGS);
    cases.put("{\"braze_ids\":\"x\"}", BRAZE_IDS_STRINGS);
    cases.put("{" + valid + ",\"braze_ids\":[{\"id\":\"x\"}]}", BRAZE_IDS_STRINGS);
    cases.put("{\"user_aliases\":{\"alias_name\":\"a\",\"alias_label\":\"l\"}}", ALIASES_OBJECTS);
    cases.put("{\"user_aliases\":[\"a\"]}", ALIASES_OBJECTS);
    cases.put("{\"user_aliases\":[{\"alias_name\":\"a\"}]}", ALIASES_OBJECTS);
    cases.put("{\"user_aliases\":[{\"alias_name\":\"a\",\"alias_label\":7}]}", ALIASES_OBJECTS);
    cases.put("{\"email_addresses\":[\"a@example.com\"]}", EMAIL_ITEMS);
    cases.put("{\"email_addresses\":[{\"email\":7,\"prioritization\":[\"identified\"]}]}", EMAIL_ITEMS);
    cases.put("{\"phone_numbers\":[\"+14155550100\"]}", PHONE_ITEMS);
    cases.put("{\"phone_numbers\":[{\"phone\":14155550100,\"prioritization\":[\"identified\"]}]}", PHONE_ITEMS);
    for (String prioritization : List.of("[]", "[\"least_recently_updated\"]", "[\"identified\",\"unidentified\"]",
        "[\"most_recently_updated\",\"most_recently_updated\"]", "[\"identified\",\"identified\"]", "[\"newest\"]", "[1]")) {
      cases.put("{\"email_addresses\":[" + prioritized("email", "a@example.com", prioritization) + "]}", DELETE_PRIORITIZATION);
      cases.put("{\"phone_numbers\":[" + prioritized("phone", "+14155550100", prioritization) + "]}", DELETE_PRIORITIZATION);
    }
    Refusals.assertAllRefused(DeleteRequest::decode, cases);
  }

  /** A missing or non-array prioritization is the item's shape error, not the prioritization's. */
  @Test
  void aMissingOrNonArrayPrioritizationIsTheItemShapeError() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{\"email_addresses\":[{\"email\":\"a@example.com\"}]}", EMAIL_ITEMS);
    cases.put("{\"email_addresses\":[{\"email\":\"a@example.com\",\"prioritization\":\"identified\"}]}", EMAIL_ITEMS);
    cases.put("{\"phone_numbers\":[{\"phone\":\"+14155550100\"}]}", PHONE_ITEMS);
    cases.put("{\"phone_numbers\":[{\"phone\":\"+14155550100\",\"prioritization\":null}]}", PHONE_ITEMS);
    Refusals.assertAllRefused(DeleteRequest::decode, cases);
  }
}
