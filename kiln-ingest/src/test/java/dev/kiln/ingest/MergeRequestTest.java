package dev.kiln.ingest;

import static dev.kiln.ingest.Bodies.BAD_PRIORITIZATIONS;
import static dev.kiln.ingest.Bodies.LONGEST_EXTERNAL_ID;
import static dev.kiln.ingest.Bodies.TOO_LONG_EXTERNAL_ID;
import static dev.kiln.ingest.Bodies.TOO_LONG_EXTERNAL_ID_MESSAGE;
import static dev.kiln.ingest.Bodies.assertRejected;
import static dev.kiln.ingest.Bodies.body;
import static dev.kiln.ingest.Bodies.copies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.identity.MergeUsers;
import dev.kiln.core.identity.Prioritization;
import dev.kiln.core.identity.Priority;
import dev.kiln.core.identity.UserSelector;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** /users/merge of docs/user-management.md, decoded, with Braze's four fatal texts. */
class MergeRequestTest {
  private static final String NOT_AN_ARRAY = "'merge_updates' must be an array of objects";
  private static final String IDENTIFIERS =
      "identifiers must be objects with an 'external_id' property that is a string, "
          + "'user_alias' property that is an object, 'email' property that is a string, or 'phone' property that is a string";
  private static final String ONLY_TWO =
      "'merge_updates' must only have 'identifier_to_merge' and 'identifier_to_keep'";
  private static final String UPDATE =
      "{'identifier_to_merge':{'external_id':'old'},'identifier_to_keep':{'external_id':'new'}}";

  /**
   * An update with {@code identifier} in each position beside a valid one, after a valid update.
   */
  private static List<String> inBothPositions(String identifier) {
    return List.of(
        "{'merge_updates':["
            + UPDATE
            + ",{'identifier_to_merge':"
            + identifier
            + ",'identifier_to_keep':{'external_id':'k'}}]}",
        "{'merge_updates':["
            + UPDATE
            + ",{'identifier_to_merge':{'external_id':'m'},'identifier_to_keep':"
            + identifier
            + "}]}");
  }

  @Test
  void eachOfTheFourIdentifierKinds() {
    assertThat(
            MergeRequest.decode(
                body(
                    "{'merge_updates':["
                        + UPDATE
                        + ","
                        + "{'identifier_to_merge':{'user_alias':{'alias_name':'n','alias_label':'anon'}},"
                        + "'identifier_to_keep':{'email':'a@example.com','prioritization':['identified','most_recently_updated']}},"
                        + "{'identifier_to_merge':{'phone':'+15550000000','prioritization':['least_recently_updated']},"
                        + "'identifier_to_keep':{'external_id':'"
                        + LONGEST_EXTERNAL_ID
                        + "','user_alias':null}}]}")))
        .containsExactly(
            new MergeUsers(
                UserSelector.of(new UserLookup.ExternalId("old")),
                UserSelector.of(new UserLookup.ExternalId("new"))),
            new MergeUsers(
                UserSelector.of(new UserLookup.Alias(new UserAlias("n", "anon"))),
                new UserSelector(
                    new UserLookup.Email("a@example.com"),
                    new Prioritization(
                        List.of(Priority.IDENTIFIED, Priority.MOST_RECENTLY_UPDATED)))),
            new MergeUsers(
                new UserSelector(
                    new UserLookup.Phone("+15550000000"),
                    new Prioritization(List.of(Priority.LEAST_RECENTLY_UPDATED))),
                UserSelector.of(new UserLookup.ExternalId(LONGEST_EXTERNAL_ID))));
  }

  @Test
  void anEmptyArrayIsNoUpdate() {
    assertThat(MergeRequest.decode(body("{'merge_updates':[]}"))).isEmpty();
  }

  @Test
  void atMostFiftyUpdates() {
    assertThat(MergeRequest.decode(body("{'merge_updates':[" + copies(50, UPDATE) + "]}")))
        .hasSize(50);
    assertRejected(
        MergeRequest::decode,
        "{'merge_updates':[" + copies(51, UPDATE) + "]}",
        "a single request may not contain more than 50 merge updates");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{'merge_updates':null}",
        "{'merge_updates':'x'}",
        "{'merge_updates':" + UPDATE + "}",
        "{'merge_updates':[1]}",
        "{'merge_updates':[null]}",
        "{'merge_updates':[" + UPDATE + ",[]]}",
        "{'merge_updates':[" + UPDATE + ",'x']}"
      })
  void mergeUpdatesMustBeAnArrayOfObjects(String json) {
    assertRejected(MergeRequest::decode, json, NOT_AN_ARRAY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'x'",
        "5",
        "null",
        "[]",
        "{}",
        "{'external_id':5}",
        "{'external_id':null}",
        "{'external_id':''}",
        "{'external_id':['a']}",
        "{'user_alias':'anon:a'}",
        "{'user_alias':{'alias_name':'a'}}",
        "{'user_alias':{'alias_name':1,'alias_label':'l'}}",
        "{'email':5,'prioritization':['identified']}",
        "{'email':'','prioritization':['identified']}",
        "{'phone':true,'prioritization':['identified']}",
        "{'braze_id':'5fbd99bac125ca40511f2cb1'}",
        "{'external_id':'a','user_alias':{'alias_name':'a','alias_label':'l'}}",
        "{'external_id':'a','email':'a@example.com','prioritization':['identified']}"
      })
  void identifiersMustBeOneOfTheFourKinds(String identifier) {
    for (String json : inBothPositions(identifier)) {
      assertRejected(MergeRequest::decode, json, IDENTIFIERS);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{'identifier_to_merge':{'external_id':'m'}}",
        "{'identifier_to_keep':{'external_id':'k'}}",
        "{'identifier_to_merge':{'external_id':'m'},'identifier_to_keep':{'external_id':'k'},'force':true}",
        "{'identifier_to_merge':{'external_id':'m'},'identifier_to_kept':{'external_id':'k'}}",
        "{'merge':{'external_id':'m'},'keep':{'external_id':'k'}}"
      })
  void updatesMustOnlyHaveTheTwoIdentifiers(String update) {
    assertRejected(
        MergeRequest::decode, "{'merge_updates':[" + UPDATE + "," + update + "]}", ONLY_TWO);
  }

  /**
   * Here a missing or non-array prioritization gets the prioritization's own message, not the
   * identifiers'.
   */
  @Test
  void emailAndPhoneIdentifiersNeedAValidPrioritization() {
    List<String> bad =
        new ArrayList<>(
            List.of(
                "{'email':'a@example.com'}",
                "{'phone':'+15550000000'}",
                "{'email':'a@example.com','prioritization':'identified'}",
                "{'phone':'+15550000000','prioritization':null}"));
    List<String> prioritizations = new ArrayList<>(BAD_PRIORITIZATIONS);
    prioritizations.add("['least_recently_updated','most_recently_updated']");
    prioritizations.add("['unidentified','unidentified']");
    for (String prioritization : prioritizations) {
      bad.add("{'email':'a@example.com','prioritization':" + prioritization + "}");
      bad.add("{'phone':'+15550000000','prioritization':" + prioritization + "}");
    }
    for (String identifier : bad) {
      for (String json : inBothPositions(identifier)) {
        assertRejected(MergeRequest::decode, json, ManagementFields.PRIORITIZATION);
      }
    }
  }

  @Test
  void externalIdsAreFewerThan988Bytes() {
    for (String json : inBothPositions("{'external_id':'" + TOO_LONG_EXTERNAL_ID + "'}")) {
      assertRejected(MergeRequest::decode, json, TOO_LONG_EXTERNAL_ID_MESSAGE);
    }
  }
}
