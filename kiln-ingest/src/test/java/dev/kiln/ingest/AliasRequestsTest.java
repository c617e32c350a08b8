package dev.kiln.ingest;

import static dev.kiln.ingest.Bodies.LONGEST_EXTERNAL_ID;
import static dev.kiln.ingest.Bodies.TOO_LONG_EXTERNAL_ID;
import static dev.kiln.ingest.Bodies.TOO_LONG_EXTERNAL_ID_MESSAGE;
import static dev.kiln.ingest.Bodies.assertOneToFifty;
import static dev.kiln.ingest.Bodies.assertRejected;
import static dev.kiln.ingest.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.identity.AddAlias;
import dev.kiln.core.identity.RenameAlias;
import dev.kiln.core.profile.UserAlias;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * /users/alias/new and /users/alias/update of docs/user-management.md, decoded. Every refusal is
 * fatal.
 */
class AliasRequestsTest {
  private static final String NEW_ALIASES = "'user_aliases' must be an array of objects";
  private static final String NEW_ALIAS =
      "each of 'user_aliases' must have string 'alias_name' and 'alias_label', "
          + "and may have a string 'external_id'";
  private static final String UPDATES = "'alias_updates' must be an array of objects";
  private static final String UPDATE =
      "each of 'alias_updates' must have string 'alias_label', 'old_alias_name' "
          + "and 'new_alias_name'";
  private static final String ALIAS = "{'alias_name':'n','alias_label':'crm'}";
  private static final String RENAME =
      "{'alias_label':'crm','old_alias_name':'a','new_alias_name':'b'}";

  @Test
  void newAliasesWithAndWithoutAnExternalId() {
    assertThat(
            AliasRequests.newAliases(
                body(
                    "{'user_aliases':["
                        + ALIAS
                        + ","
                        + "{'alias_name':'m','alias_label':'web','external_id':'customer'},"
                        + "{'alias_name':'o','alias_label':'web','external_id':null}]}")))
        .containsExactly(
            new AddAlias(new UserAlias("n", "crm"), null),
            new AddAlias(new UserAlias("m", "web"), "customer"),
            new AddAlias(new UserAlias("o", "web"), null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{'user_aliases':null}",
        "{'user_aliases':'x'}",
        "{'user_aliases':{}}",
        "{'user_aliases':" + ALIAS + "}",
        "{'user_aliases':[1]}",
        "{'user_aliases':[null]}",
        "{'user_aliases':[[]]}",
        "{'user_aliases':[" + ALIAS + ",'x']}"
      })
  void userAliasesMustBeAnArrayOfObjects(String json) {
    assertRejected(AliasRequests::newAliases, json, NEW_ALIASES);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'alias_label':'crm'}",
        "{'alias_name':'n'}",
        "{}",
        "{'alias_name':'','alias_label':'crm'}",
        "{'alias_name':'n','alias_label':''}",
        "{'alias_name':null,'alias_label':'crm'}",
        "{'alias_name':5,'alias_label':'crm'}",
        "{'alias_name':'n','alias_label':true}",
        "{'alias_name':'n','alias_label':['crm']}",
        "{'alias_name':'n','alias_label':'crm','external_id':5}",
        "{'alias_name':'n','alias_label':'crm','external_id':{'id':'x'}}",
        "{'alias_name':'n','alias_label':'crm','external_id':''}"
      })
  void eachAliasNeedsStringNameAndLabelAndAtMostAStringExternalId(String item) {
    assertRejected(
        AliasRequests::newAliases, "{'user_aliases':[" + ALIAS + "," + item + "]}", NEW_ALIAS);
  }

  @Test
  void namesAndLabelsHaveAtMost255CharactersAndExternalIdsFewerThan988Bytes() {
    String longest = "n".repeat(255);
    assertThat(
            AliasRequests.newAliases(
                body(
                    "{'user_aliases':[{'alias_name':'"
                        + longest
                        + "','alias_label':'"
                        + longest
                        + "','external_id':'"
                        + LONGEST_EXTERNAL_ID
                        + "'}]}")))
        .containsExactly(new AddAlias(new UserAlias(longest, longest), LONGEST_EXTERNAL_ID));

    assertRejected(
        AliasRequests::newAliases,
        "{'user_aliases':[{'alias_name':'" + longest + "n','alias_label':'crm'}]}",
        NEW_ALIAS);
    assertRejected(
        AliasRequests::newAliases,
        "{'user_aliases':[{'alias_name':'n','alias_label':'" + longest + "l'}]}",
        NEW_ALIAS);
    assertRejected(
        AliasRequests::newAliases,
        "{'user_aliases':[{'alias_name':'n','alias_label':'crm','external_id':'"
            + TOO_LONG_EXTERNAL_ID
            + "'}]}",
        TOO_LONG_EXTERNAL_ID_MESSAGE);
  }

  @Test
  void atMostFiftyNewAliasesAndAtLeastOne() {
    assertOneToFifty(
        AliasRequests::newAliases,
        "user_aliases",
        ALIAS,
        "a single request may not contain more than 50 user aliases");
  }

  @Test
  void aliasUpdates() {
    assertThat(AliasRequests.aliasUpdates(body("{'alias_updates':[" + RENAME + "]}")))
        .isEqualTo(List.of(new RenameAlias("crm", "a", "b")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{'alias_updates':null}",
        "{'alias_updates':'x'}",
        "{'alias_updates':" + RENAME + "}",
        "{'alias_updates':[1]}",
        "{'alias_updates':[null]}",
        "{'alias_updates':[" + RENAME + ",[]]}"
      })
  void aliasUpdatesMustBeAnArrayOfObjects(String json) {
    assertRejected(AliasRequests::aliasUpdates, json, UPDATES);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'old_alias_name':'a','new_alias_name':'b'}",
        "{'alias_label':'l','new_alias_name':'b'}",
        "{'alias_label':'l','old_alias_name':'a'}",
        "{}",
        "{'alias_label':5,'old_alias_name':'a','new_alias_name':'b'}",
        "{'alias_label':'l','old_alias_name':null,'new_alias_name':'b'}",
        "{'alias_label':'l','old_alias_name':'a','new_alias_name':{}}",
        "{'alias_label':'l','old_alias_name':'a','new_alias_name':''}"
      })
  void eachAliasUpdateNeedsTheThreeStrings(String item) {
    assertRejected(
        AliasRequests::aliasUpdates, "{'alias_updates':[" + RENAME + "," + item + "]}", UPDATE);
  }

  @Test
  void updateNamesAndLabelsHaveAtMost255Characters() {
    String longest = "n".repeat(255);
    assertThat(
            AliasRequests.aliasUpdates(
                body(
                    "{'alias_updates':[{'alias_label':'"
                        + longest
                        + "','old_alias_name':'"
                        + longest
                        + "','new_alias_name':'"
                        + longest
                        + "'}]}")))
        .hasSize(1);
    assertRejected(
        AliasRequests::aliasUpdates,
        "{'alias_updates':[{'alias_label':'l','old_alias_name':'a','new_alias_name':'"
            + longest
            + "n'}]}",
        UPDATE);
  }

  @Test
  void atMostFiftyAliasUpdatesAndAtLeastOne() {
    assertOneToFifty(
        AliasRequests::aliasUpdates,
        "alias_updates",
        RENAME,
        "a single request may not contain more than 50 alias updates");
  }
}
