package dev.kiln.ingest;

import static dev.kiln.ingest.Refusals.assertAllRefused;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The four fatal texts of /users/merge (docs/user-management.md): bodies refused as a whole, each
 * beside a valid update that is then not applied either. That such a refusal merges nothing stored is
 * ITMerge's (fifty-one updates).
 */
class MergeRequestRefusalsTest {
  private static final String PRIORITIZATION = "'prioritization' must be a non-empty array of 'identified', 'unidentified', "
      + "'most_recently_updated' or 'least_recently_updated', with at most one of 'identified' and 'unidentified' "
      + "and at most one of the two recency values";
  /** A valid update: user mg-merged into user mg-kept. */
  private static final String VALID = update(byExternal("mg-merged"), byExternal("mg-kept"));

  private static String byExternal(String externalId) {
    return "{\"external_id\":\"" + externalId + "\"}";
  }

  private static String update(String toMerge, String toKeep) {
    return "{\"identifier_to_merge\":" + toMerge + ",\"identifier_to_keep\":" + toKeep + "}";
  }

  /** For each identifier, a body with the valid update and then one with it to merge, and one with it to keep. */
  private static List<String> bothPositions(List<String> identifiers) {
    List<String> bodies = new ArrayList<>();
    for (String identifier : identifiers) {
      bodies.add("{\"merge_updates\":[" + VALID + "," + update(identifier, byExternal("k")) + "]}");
      bodies.add("{\"merge_updates\":[" + VALID + "," + update(byExternal("m"), identifier) + "]}");
    }
    return bodies;
  }

  @Test
  void mergeUpdatesMustBeAnArrayOfObjects() {
    assertAllRefused(MergeRequest::decode, "'merge_updates' must be an array of objects", List.of("{}",
        "{\"merge_updates\":null}", "{\"merge_updates\":\"x\"}", "{\"merge_updates\":" + VALID + "}",
        "{\"merge_updates\":[1]}", "{\"merge_updates\":[null]}", "{\"merge_updates\":[" + VALID + ",[]]}",
        "{\"merge_updates\":[" + VALID + ",\"x\"]}"));
  }

  @Test
  void identifiersMustBeOneOfTheFourKinds() {
    List<String> bad = List.of("\"x\"", "5", "null", "[]", "{}", "{\"external_id\":5}", "{\"external_id\":null}",
        "{\"external_id\":[\"a\"]}", "{\"user_alias\":\"anon:a\"}", "{\"user_alias\":{\"alias_name\":\"a\"}}",
        "{\"user_alias\":{\"alias_name\":1,\"alias_label\":\"l\"}}", "{\"email\":5,\"prioritization\":[\"identified\"]}",
        "{\"phone\":true,\"prioritization\":[\"identified\"]}", "{\"braze_id\":\"5fbd99bac125ca40511f2cb1\"}",
        "{\"external_id\":\"a\",\"user_alias\":{\"alias_name\":\"a\",\"alias_label\":\"l\"}}",
        "{\"external_id\":\"a\",\"email\":\"a@example.com\",\"prioritization\":[\"identified\"]}");
    assertAllRefused(MergeRequest::decode, "identifiers must be objects with an 'external_id' property that is a string, "
        + "'user_alias' property that is an object, 'email' property that is a string, or 'phone' property that is a string",
        bothPositions(bad));
  }

  @Test
  void updatesMustOnlyHaveTheTwoIdentifiers() {
    assertAllRefused(MergeRequest::decode, "'merge_updates' must only have 'identifier_to_merge' and 'identifier_to_keep'",
        Stream.of("{}", "{\"identifier_to_merge\":" + byExternal("m") + "}",
            "{\"identifier_to_keep\":" + byExternal("k") + "}",
            "{\"identifier_to_merge\":" + byExternal("m") + ",\"identifier_to_keep\":" + byExternal("k") + ",\"force\":true}",
            "{\"identifier_to_merge\":" + byExternal("m") + ",\"identifier_to_kept\":" + byExternal("k") + "}",
            "{\"merge\":" + byExternal("m") + ",\"keep\":" + byExternal("k") + "}")
            .map(item -> "{\"merge_updates\":[" + VALID + "," + item + "]}").toList());
  }

  @Test
  void emailAndPhoneIdentifiersNeedAValidPrioritization() {
    List<String> bad = new ArrayList<>(List.of("{\"email\":\"a@example.com\"}", "{\"phone\":\"+15550000000\"}",
        "{\"email\":\"a@example.com\",\"prioritization\":\"identified\"}",
        "{\"phone\":\"+15550000000\",\"prioritization\":null}"));
    for (String prioritization : List.of("[]", "[\"identified\",\"unidentified\"]",
        "[\"least_recently_updated\",\"most_recently_updated\"]", "[\"unidentified\",\"unidentified\"]",
        "[\"oldest\"]", "[2]")) {
      bad.add("{\"email\":\"a@example.com\",\"prioritization\":" + prioritization + "}");
      bad.add("{\"phone\":\"+15550000000\",\"prioritization\":" + prioritization + "}");
    }
    assertAllRefused(MergeRequest::decode, PRIORITIZATION, bothPositions(bad));
  }
}
