package dev.kiln.ingest;

import static dev.kiln.ingest.Bodies.LONGEST_EXTERNAL_ID;
import static dev.kiln.ingest.Bodies.TOO_LONG_EXTERNAL_ID;
import static dev.kiln.ingest.Bodies.assertOneToFifty;
import static dev.kiln.ingest.Bodies.assertRejected;
import static dev.kiln.ingest.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.identity.RemoveExternalId;
import dev.kiln.core.identity.RenameExternalId;
import dev.kiln.core.profile.ExternalId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * /users/external_ids/rename and /remove of docs/user-management.md, decoded. Only the array itself
 * can be fatal; a malformed item is an error of its own ({@code rename_errors}, {@code
 * removal_errors}) and the other items still apply.
 */
class ExternalIdRequestsTest {
  private static final String RENAME_SHAPE =
      "each rename must have string 'current_external_id' and 'new_external_id'";
  private static final String RENAME = "{'current_external_id':'a','new_external_id':'b'}";

  @Test
  void renamesKeepEachItemAsSentWithItsOperationOrItsError() {
    List<ExternalIdRequests.Item> items =
        ExternalIdRequests.renames(
            body(
                "{'external_id_renames':['not an object',"
                    + "{'current_external_id':'a'},{'new_external_id':'b'},{'current_external_id':7,'new_external_id':'b'},"
                    + "{'current_external_id':'a','new_external_id':null},{'current_external_id':'','new_external_id':'b'},[],"
                    + "{'current_external_id':'a','new_external_id':'"
                    + TOO_LONG_EXTERNAL_ID
                    + "'},"
                    + RENAME
                    + ","
                    + "{'current_external_id':'c','new_external_id':'"
                    + LONGEST_EXTERNAL_ID
                    + "'}]}"));

    assertThat(items)
        .extracting(ExternalIdRequests.Item::index)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(items)
        .extracting(ExternalIdRequests.Item::error)
        .containsExactly(
            RENAME_SHAPE,
            RENAME_SHAPE,
            RENAME_SHAPE,
            RENAME_SHAPE,
            RENAME_SHAPE,
            RENAME_SHAPE,
            RENAME_SHAPE,
            "'new_external_id' must be fewer than 988 bytes",
            null,
            null);
    assertThat(items)
        .extracting(ExternalIdRequests.Item::operation)
        .containsExactly(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new RenameExternalId("a", new ExternalId("b")),
            new RenameExternalId("c", new ExternalId(LONGEST_EXTERNAL_ID)));
    assertThat(items.get(8).sent()).isEqualTo(body(RENAME));
    assertThat(items.getFirst().sent().textValue()).isEqualTo("not an object");
  }

  @Test
  void renameFatalErrorsAndTheCap() {
    String array = "'external_id_renames' must be an array of objects";
    for (String json :
        List.of(
            "{}",
            "{'external_id_renames':" + RENAME + "}",
            "{'external_id_renames':'x'}",
            "{'external_id_renames':null}")) {
      assertRejected(ExternalIdRequests::renames, json, array);
    }
    assertOneToFifty(
        ExternalIdRequests::renames,
        "external_id_renames",
        RENAME,
        "a single request may not contain more than 50 external_id_renames");
  }

  @Test
  void removalsOfStringsAndErrorsForTheRest() {
    List<ExternalIdRequests.Item> items =
        ExternalIdRequests.removals(body("{'external_ids':['old',5,null,'',{},'older']}"));

    assertThat(items)
        .extracting(ExternalIdRequests.Item::operation)
        .containsExactly(
            new RemoveExternalId("old"), null, null, null, null, new RemoveExternalId("older"));
    String shape = "each external_id must be a string";
    assertThat(items)
        .extracting(ExternalIdRequests.Item::error)
        .containsExactly(null, shape, shape, shape, shape, null);
    assertThat(items)
        .extracting(item -> item.sent().toString())
        .containsExactly("\"old\"", "5", "null", "\"\"", "{}", "\"older\"");
  }

  @Test
  void removeFatalErrorsAndTheCap() {
    for (String json : List.of("{}", "{'external_ids':'x'}", "{'external_ids':{'a':1}}")) {
      assertRejected(ExternalIdRequests::removals, json, "'external_ids' must be an array");
    }
    assertOneToFifty(
        ExternalIdRequests::removals,
        "external_ids",
        "'x'",
        "a single request may not contain more than 50 external_ids");
  }
}
