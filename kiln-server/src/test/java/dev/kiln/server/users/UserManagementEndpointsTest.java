package dev.kiln.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.identity.OperationResult;
import dev.kiln.ingest.ExternalIdRequests;
import dev.kiln.server.http.Json;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@code /users/external_ids/rename} and {@code /remove} answer item by item
 * (docs/braze-reference.md section 11), without a server: what was done as it was sent, and {@code
 * [index, reason]} for each item the decoder refused or the store skipped, in request order. The
 * store's own reasons, and that nothing else changed, are ITExternalIds'.
 */
class UserManagementEndpointsTest {
  @Test
  void renamesDoneAreListedAsSentAndTheOthersByIndexWithTheirReason() throws IOException {
    List<ExternalIdRequests.Item> items =
        ExternalIdRequests.renames(
            body(
                """
                {"external_id_renames":[
                  {"current_external_id":"a","new_external_id":"b"},
                  {"current_external_id":"c"},
                  {"current_external_id":"d","new_external_id":"e"},
                  {"current_external_id":"f","new_external_id":"g"}]}"""));

    assertAnswer(
        UserManagementEndpoints.itemized(
            items,
            List.of(
                OperationResult.APPLIED,
                OperationResult.skipped("'e' is already some user's external_id"),
                OperationResult.APPLIED),
            "external_ids",
            "rename_errors"),
        """
        {"message":"success",
         "external_ids":[{"current_external_id":"a","new_external_id":"b"},
                         {"current_external_id":"f","new_external_id":"g"}],
         "rename_errors":[[1,"each rename must have string 'current_external_id' and 'new_external_id'"],
                          [2,"'e' is already some user's external_id"]]}""");
  }

  @Test
  void removalsDoneAreListedAsSentAndTheOthersByIndexWithTheirReason() throws IOException {
    List<ExternalIdRequests.Item> items =
        ExternalIdRequests.removals(body("{\"external_ids\":[\"gone\",5,\"\",\"unknown\"]}"));

    assertAnswer(
        UserManagementEndpoints.itemized(
            items,
            List.of(OperationResult.APPLIED, OperationResult.skipped("no user has it")),
            "removed_ids",
            "removal_errors"),
        """
        {"message":"success","removed_ids":["gone"],
         "removal_errors":[[1,"each external_id must be a string"],
                           [2,"each external_id must be a string"],[3,"no user has it"]]}""");
  }

  @Test
  void everyItemSkippedLeavesTheDoneListEmptyButPresent() throws IOException {
    assertAnswer(
        UserManagementEndpoints.itemized(
            ExternalIdRequests.removals(body("{\"external_ids\":[\"x\"]}")),
            List.of(OperationResult.skipped("no user has it")),
            "removed_ids",
            "removal_errors"),
        """
        {"message":"success","removed_ids":[],"removal_errors":[[0,"no user has it"]]}""");
  }

  private static ObjectNode body(String json) throws IOException {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  private static void assertAnswer(Object answer, String expected) throws IOException {
    JsonNode tree = Json.MAPPER.valueToTree(answer);
    assertThat(tree).isEqualTo(Json.MAPPER.readTree(expected));
  }
}
