package dev.kiln.server.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.identity.OperationResult;
import dev.kiln.core.identity.UserOperation;
import dev.kiln.core.storage.UserDirectory;
import dev.kiln.ingest.AliasRequests;
import dev.kiln.ingest.DeleteRequest;
import dev.kiln.ingest.ExternalIdRequests;
import dev.kiln.ingest.IdentifyRequest;
import dev.kiln.ingest.MergeRequest;
import dev.kiln.server.http.Json;
import dev.kiln.server.http.JsonBodies;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Braze's user management endpoints (docs/braze-reference.md section 11, docs/user-management.md):
 * each request is decoded whole, a problem refusing all of it, then applied in one transaction
 * before the answer. Braze queues some of these; Kiln has applied them when it answers.
 */
public final class UserManagementEndpoints {
  private static final int CREATED = 201;
  private static final int ACCEPTED = 202;

  private final UserDirectory directory;

  public UserManagementEndpoints(UserDirectory directory) {
    this.directory = directory;
  }

  /** {@code POST /users/alias/new}. */
  public void newAliases(Context ctx) {
    List<UserOperation> operations = decode(ctx, AliasRequests::newAliases);
    directory.apply(operations);
    respondSuccess(ctx, Map.of("aliases_processed", operations.size()));
  }

  /** {@code POST /users/alias/update}. */
  public void updateAliases(Context ctx) {
    directory.apply(decode(ctx, AliasRequests::aliasUpdates));
    Json.message(ctx, CREATED, "success");
  }

  /** {@code POST /users/identify}. */
  public void identify(Context ctx) {
    IdentifyRequest request = decode(ctx, IdentifyRequest::decode);
    directory.apply(request.operations());
    respondSuccess(ctx, request.processed());
  }

  /** {@code POST /users/merge}: Braze answers 202 as it merges later; Kiln has merged already. */
  public void merge(Context ctx) {
    directory.apply(decode(ctx, MergeRequest::decode));
    Json.message(ctx, ACCEPTED, "success");
  }

  /** {@code POST /users/delete}: {@code deleted} counts the users this request deleted. */
  public void delete(Context ctx) {
    long deleted =
        directory.apply(decode(ctx, DeleteRequest::decode)).stream()
            .filter(OperationResult::applied)
            .count();
    respondSuccess(ctx, Map.of("deleted", deleted));
  }

  /**
   * {@code POST /users/external_ids/rename}: the renames done, and {@code [index, reason]} for the
   * others.
   */
  public void renameExternalIds(Context ctx) {
    respondItemized(ctx, decode(ctx, ExternalIdRequests::renames), "external_ids", "rename_errors");
  }

  /**
   * {@code POST /users/external_ids/remove}: the ids removed, and {@code [index, reason]} for the
   * others.
   */
  public void removeExternalIds(Context ctx) {
    respondItemized(
        ctx, decode(ctx, ExternalIdRequests::removals), "removed_ids", "removal_errors");
  }

  private void respondItemized(
      Context ctx, List<ExternalIdRequests.Item> items, String doneField, String errorsField) {
    List<UserOperation> operations =
        items.stream().map(ExternalIdRequests.Item::operation).filter(Objects::nonNull).toList();
    Json.respond(
        ctx, CREATED, itemized(items, directory.apply(operations), doneField, errorsField));
  }

  /**
   * The items done, as sent, and {@code [index, reason]} for each the decoder or the store refused,
   * in request order; {@code results} are the store's, one per item with an operation.
   * Package-private for its unit test.
   */
  static Map<String, Object> itemized(
      List<ExternalIdRequests.Item> items,
      List<OperationResult> results,
      String doneField,
      String errorsField) {
    Iterator<OperationResult> result = results.iterator();
    List<Object> done = new ArrayList<>();
    List<List<Object>> errors = new ArrayList<>();
    for (ExternalIdRequests.Item item : items) {
      String error = item.operation() == null ? item.error() : result.next().reason();
      if (error == null) {
        done.add(item.sent());
      } else {
        errors.add(List.of(item.index(), error));
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", "success");
    body.put(doneField, done);
    body.put(errorsField, errors);
    return body;
  }

  /**
   * {@code 201} with the endpoint's counts, then {@code "message": "success"}, in the order of
   * Braze's examples.
   */
  private static void respondSuccess(Context ctx, Map<String, ?> counts) {
    Map<String, Object> body = new LinkedHashMap<>(counts);
    body.put("message", "success");
    Json.respond(ctx, CREATED, body);
  }

  private static <T> T decode(Context ctx, Function<ObjectNode, T> decoder) {
    return decoder.apply(JsonBodies.object(ctx));
  }
}
