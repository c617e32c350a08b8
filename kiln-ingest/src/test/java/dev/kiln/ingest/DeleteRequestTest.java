package dev.kiln.ingest;

import static dev.kiln.ingest.Bodies.BAD_PRIORITIZATIONS;
import static dev.kiln.ingest.Bodies.assertRejected;
import static dev.kiln.ingest.Bodies.body;
import static dev.kiln.ingest.Bodies.copies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.identity.DeleteUser;
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

/**
 * /users/delete of docs/user-management.md, decoded: a mix of the five identifier kinds, at most
 * 50.
 */
class DeleteRequestTest {
  private static final String NOTHING =
      "at least one of 'external_ids', 'user_aliases', 'braze_ids', 'email_addresses' "
          + "or 'phone_numbers' must be given";
  private static final String EXTERNAL_IDS = "'external_ids' must be an array of strings";
  private static final String BRAZE_IDS = "'braze_ids' must be an array of strings";
  private static final String ALIASES =
      "'user_aliases' must be an array of objects with string 'alias_name' and 'alias_label'";
  private static final String EMAILS =
      "each of 'email_addresses' must have a string 'email' and a 'prioritization' array";
  private static final String PHONES =
      "each of 'phone_numbers' must have a string 'phone' and a 'prioritization' array";

  @Test
  void aMixOfEveryKindInTheOrderOfTheKinds() {
    assertThat(
            DeleteRequest.decode(
                body(
                    "{'phone_numbers':[{'phone':'+14155550100','prioritization':['unidentified']}],"
                        + "'email_addresses':[{'email':'a@example.com','prioritization':['identified','most_recently_updated']}],"
                        + "'braze_ids':['5fbd99bac125ca40511f2cb1'],'user_aliases':[{'alias_name':'n','alias_label':'crm'}],"
                        + "'external_ids':['customer']}")))
        .containsExactly(
            new DeleteUser(UserSelector.of(new UserLookup.ExternalId("customer"))),
            new DeleteUser(UserSelector.of(new UserLookup.Alias(new UserAlias("n", "crm")))),
            new DeleteUser(UserSelector.of(new UserLookup.BrazeId("5fbd99bac125ca40511f2cb1"))),
            new DeleteUser(
                new UserSelector(
                    new UserLookup.Email("a@example.com"),
                    new Prioritization(
                        List.of(Priority.IDENTIFIED, Priority.MOST_RECENTLY_UPDATED)))),
            new DeleteUser(
                new UserSelector(
                    new UserLookup.Phone("+14155550100"),
                    new Prioritization(List.of(Priority.UNIDENTIFIED)))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{'external_ids':[]}",
        "{'external_ids':null}",
        "{'external_ids':[],'user_aliases':[],'braze_ids':[],'email_addresses':[],'phone_numbers':[]}"
      })
  void somethingMustBeGiven(String json) {
    assertRejected(DeleteRequest::decode, json, NOTHING);
  }

  /** The cap counts every kind together. */
  @Test
  void atMostFiftyIdentifiersInTotal() {
    String tooMany = "The max number of ids per request was exceeded";
    String alias = "{'alias_name':'n','alias_label':'crm'}";
    assertThat(
            DeleteRequest.decode(
                body(
                    "{'external_ids':["
                        + copies(25, "'x'")
                        + "],'user_aliases':["
                        + copies(25, alias)
                        + "]}")))
        .hasSize(50);
    assertRejected(
        DeleteRequest::decode,
        "{'external_ids':["
            + copies(25, "'x'")
            + "],'user_aliases':["
            + copies(25, alias)
            + "],'braze_ids':['b']}",
        tooMany);
    assertRejected(DeleteRequest::decode, "{'external_ids':[" + copies(51, "'x'") + "]}", tooMany);
  }

  /** A missing or non-array prioritization is the item's shape error, not the prioritization's. */
  @Test
  void eachKindHasItsShapeMessage() {
    for (String json :
        List.of(
            "{'external_ids':'x'}",
            "{'external_ids':['x',1]}",
            "{'external_ids':[null]}",
            "{'external_ids':['']}")) {
      assertRejected(DeleteRequest::decode, json, EXTERNAL_IDS);
    }
    for (String json :
        List.of("{'braze_ids':'x'}", "{'external_ids':['x'],'braze_ids':[{'id':'x'}]}")) {
      assertRejected(DeleteRequest::decode, json, BRAZE_IDS);
    }
    for (String json :
        List.of(
            "{'user_aliases':{'alias_name':'a','alias_label':'l'}}",
            "{'user_aliases':['a']}",
            "{'user_aliases':[{'alias_name':'a'}]}",
            "{'user_aliases':[{'alias_name':'a','alias_label':7}]}")) {
      assertRejected(DeleteRequest::decode, json, ALIASES);
    }
    for (String json :
        List.of(
            "{'email_addresses':['a@example.com']}",
            "{'email_addresses':[{'email':7,'prioritization':['identified']}]}",
            "{'email_addresses':[{'email':'a@example.com'}]}",
            "{'email_addresses':[{'email':'a@example.com','prioritization':'identified'}]}")) {
      assertRejected(DeleteRequest::decode, json, EMAILS);
    }
    for (String json :
        List.of(
            "{'phone_numbers':['+14155550100']}",
            "{'phone_numbers':[{'phone':14155550100,'prioritization':['identified']}]}",
            "{'phone_numbers':[{'phone':'+14155550100'}]}",
            "{'phone_numbers':[{'phone':'+14155550100','prioritization':null}]}")) {
      assertRejected(DeleteRequest::decode, json, PHONES);
    }
  }

  /** The delete variant: no least_recently_updated. */
  @Test
  void prioritizationMustBeAValidListWithoutLeastRecentlyUpdated() {
    List<String> bad = new ArrayList<>(BAD_PRIORITIZATIONS);
    bad.add("['least_recently_updated']");
    bad.add("['identified','least_recently_updated']");
    bad.add("['most_recently_updated','most_recently_updated']");
    for (String prioritization : bad) {
      assertRejected(
          DeleteRequest::decode,
          "{'email_addresses':[{'email':'a@example.com','prioritization':" + prioritization + "}]}",
          ManagementFields.DELETE_PRIORITIZATION);
      assertRejected(
          DeleteRequest::decode,
          "{'phone_numbers':[{'phone':'+14155550100','prioritization':" + prioritization + "}]}",
          ManagementFields.DELETE_PRIORITIZATION);
    }
  }

  /** A fatal error anywhere refuses the whole request, valid identifiers beside it included. */
  @Test
  void aFatalErrorBesideValidIdentifiers() {
    assertRejected(
        DeleteRequest::decode,
        "{'external_ids':['x'],'user_aliases':[{'alias_name':'a'}]}",
        ALIASES);
    assertRejected(
        DeleteRequest::decode,
        "{'external_ids':['x'],'email_addresses':[{'email':'a@example.com',"
            + "'prioritization':['newest']}]}",
        ManagementFields.DELETE_PRIORITIZATION);
    assertRejected(
        DeleteRequest::decode,
        "{'external_ids':['x'],'email_addresses':[{'email':'a@example.com',"
            + "'prioritization':['least_recently_updated']}]}",
        ManagementFields.DELETE_PRIORITIZATION);
  }
}
