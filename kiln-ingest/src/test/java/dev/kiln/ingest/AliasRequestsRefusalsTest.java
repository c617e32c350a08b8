package dev.kiln.ingest;

import static dev.kiln.ingest.Refusals.assertAllRefused;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The /users/alias/new and /users/alias/update bodies refused as a whole (docs/user-management.md),
 * with the exact words of the 400, each beside valid items that are then not applied either. That such
 * a refusal creates or renames nothing stored is ITAliasEndpoints' (the bounds and the caps of fifty).
 */
class AliasRequestsRefusalsTest {
  private static final String ALIAS = "{\"alias_name\":\"an-bad\",\"alias_label\":\"crm_id\"}";
  private static final String UPDATE = "{\"alias_label\":\"crm_id\",\"old_alias_name\":\"au-bad\",\"new_alias_name\":\"au-bad-renamed\"}";

  @Test
  void userAliasesMustBeAnArrayOfObjects() {
    assertAllRefused(AliasRequests::newAliases, "'user_aliases' must be an array of objects", List.of("{}",
        "{\"user_aliases\":null}", "{\"user_aliases\":\"x\"}", "{\"user_aliases\":{}}", "{\"user_aliases\":" + ALIAS + "}",
        "{\"user_aliases\":[1]}", "{\"user_aliases\":[null]}", "{\"user_aliases\":[[]]}",
        "{\"user_aliases\":[" + ALIAS + ",\"x\"]}"));
  }

  @Test
  void userAliasesMustNotBeEmpty() {
    assertAllRefused(AliasRequests::newAliases, "'user_aliases' must not be empty", List.of("{\"user_aliases\":[]}"));
  }

  @Test
  void eachAliasNeedsStringNameAndLabelAndAtMostAStringExternalId() {
    String withId = "{\"alias_name\":\"an-bad\",\"alias_label\":\"crm_id\",\"external_id\":\"an-bad-ext\"}";
    String other = "{\"alias_name\":\"an-bad-2\",\"alias_label\":\"crm_id\"}";
    assertAllRefused(AliasRequests::newAliases,
        "each of 'user_aliases' must have string 'alias_name' and 'alias_label', and may have a string 'external_id'",
        Stream.of(
            "{\"alias_label\":\"crm_id\"}",
            "{\"alias_name\":\"n\"}",
            "{}",
            "{\"alias_name\":\"\",\"alias_label\":\"crm_id\"}",
            "{\"alias_name\":\"n\",\"alias_label\":\"\"}",
            "{\"alias_name\":null,\"alias_label\":\"crm_id\"}",
            "{\"alias_name\":5,\"alias_label\":\"crm_id\"}",
            "{\"alias_name\":\"n\",\"alias_label\":true}",
            "{\"alias_name\":\"n\",\"alias_label\":[\"crm_id\"]}",
            "{\"alias_name\":\"n\",\"alias_label\":\"crm_id\",\"external_id\":5}",
            "{\"alias_name\":\"n\",\"alias_label\":\"crm_id\",\"external_id\":{\"id\":\"x\"}}")
            .map(item -> "{\"user_aliases\":[" + withId + "," + other + "," + item + "]}").toList());
  }

  @Test
  void aliasUpdatesMustBeANonEmptyArrayOfObjects() {
    assertAllRefused(AliasRequests::aliasUpdates, "'alias_updates' must be an array of objects", List.of("{}",
        "{\"alias_updates\":null}", "{\"alias_updates\":\"x\"}", "{\"alias_updates\":" + UPDATE + "}",
        "{\"alias_updates\":[1]}", "{\"alias_updates\":[null]}", "{\"alias_updates\":[" + UPDATE + ",[]]}"));
    assertAllRefused(AliasRequests::aliasUpdates, "'alias_updates' must not be empty", List.of("{\"alias_updates\":[]}"));
  }

  @Test
  void eachAliasUpdateNeedsTheThreeStrings() {
    assertAllRefused(AliasRequests::aliasUpdates,
        "each of 'alias_updates' must have string 'alias_label', 'old_alias_name' and 'new_alias_name'", Stream.of(
            "{\"old_alias_name\":\"a\",\"new_alias_name\":\"b\"}",
            "{\"alias_label\":\"l\",\"new_alias_name\":\"b\"}",
            "{\"alias_label\":\"l\",\"old_alias_name\":\"a\"}",
            "{}",
            "{\"alias_label\":5,\"old_alias_name\":\"a\",\"new_alias_name\":\"b\"}",
            "{\"alias_label\":\"l\",\"old_alias_name\":null,\"new_alias_name\":\"b\"}",
            "{\"alias_label\":\"l\",\"old_alias_name\":\"a\",\"new_alias_name\":{}}")
            .map(item -> "{\"alias_updates\":[" + UPDATE + "," + item + "]}").toList());
  }
}
