package dev.kiln.server.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.track.BrazeTimes;
import dev.kiln.segment.Cancellation;
import dev.kiln.segment.FilterDescriber;
import dev.kiln.segment.SegmentDefinition;
import dev.kiln.server.http.ApiError;
import dev.kiln.server.http.ClientDisconnects;
import dev.kiln.server.http.Json;
import dev.kiln.server.http.JsonBodies;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kiln's segment API ({@code /segments/create}, {@code update}, {@code delete}, {@code size}) and
 * Braze's {@code GET /segments/list} and {@code GET /segments/details} (docs/braze-reference.md
 * section 10).
 */
public final class SegmentEndpoints {
  static final int PAGE_SIZE = 100;

  private final SegmentService segments;
  private final SegmentEvaluations evaluations;

  public SegmentEndpoints(SegmentService segments, SegmentEvaluations evaluations) {
    this.segments = segments;
    this.evaluations = evaluations;
  }

  public void create(Context ctx) {
    ObjectNode body = JsonBodies.object(ctx);
    SegmentDefinition created = segments.create(SegmentDrafts.read(body, true));
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("message", "success");
    response.put("segment_id", created.id());
    Json.respond(ctx, 201, response);
  }

  public void update(Context ctx) {
    ObjectNode body = JsonBodies.object(ctx);
    segments.update(requiredText(body, "segment_id"), SegmentDrafts.read(body, false));
    Json.message(ctx, 200, "success");
  }

  public void delete(Context ctx) {
    segments.archive(requiredText(JsonBodies.object(ctx), "segment_id"));
    Json.message(ctx, 200, "success");
  }

  /**
   * Within this node's bound on evaluations at once (429 beyond it), and stopped, with its database
   * work, when the client goes away: nobody would read the answer.
   */
  public void size(Context ctx) {
    String segmentId = requiredQuery(ctx, "segment_id");
    long size;
    Cancellation cancellation = new Cancellation();
    try (SegmentEvaluations.Slot slot = evaluations.admit(ctx);
        ClientDisconnects.Watch watch = ClientDisconnects.watch(ctx, cancellation::cancel)) {
      size = segments.size(segmentId, cancellation);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("message", "success");
    response.put("size", size);
    Json.respond(ctx, 200, response);
  }

  public void list(Context ctx) {
    int page = page(ctx.queryParam("page"));
    boolean newestFirst = newestFirst(ctx.queryParam("sort_direction"));
    List<Map<String, Object>> items = new ArrayList<>();
    for (SegmentDefinition segment : segmentsPage(newestFirst, page)) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", segment.id());
      item.put("name", segment.name());
      item.put("analytics_tracking_enabled", false); // Kiln keeps no per-segment analytics
      item.put("tags", segment.tags());
      items.add(item);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("message", "success");
    response.put("segments", items);
    Json.respond(ctx, 200, response);
  }

  public void details(Context ctx) {
    SegmentDefinition segment = segments.active(requiredQuery(ctx, "segment_id"));
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("message", "success");
    response.put("created_at", BrazeTimes.format(segment.createdAt()));
    response.put("updated_at", BrazeTimes.format(segment.updatedAt()));
    response.put("name", segment.name());
    response.put("description", FilterDescriber.describe(segments.filterOf(segment)));
    response.put("text_description", segment.description());
    response.put("tags", segment.tags());
    response.put("teams", List.of());
    Json.respond(ctx, 200, response);
  }

  private List<SegmentDefinition> segmentsPage(boolean newestFirst, int page) {
    return segments.page(newestFirst, (long) page * PAGE_SIZE, PAGE_SIZE);
  }

  private static String requiredText(ObjectNode body, String field) {
    String value = SegmentDrafts.text(body, field);
    if (value == null || value.isBlank()) {
      throw ApiError.badRequest("'" + field + "' is required");
    }
    return value;
  }

  private static String requiredQuery(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      throw ApiError.badRequest("'" + name + "' is required");
    }
    return value;
  }

  /** The {@code page} query parameter: a whole number from 0, 0 when absent. */
  static int page(String page) {
    if (page == null) {
      return 0;
    }
    try {
      int number = Integer.parseInt(page);
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiError.badRequest("'page' must be a whole number from 0");
  }

  /** The {@code sort_direction} query parameter: asc (the default) or desc. */
  static boolean newestFirst(String direction) {
    if (direction == null || direction.equals("asc")) {
      return false;
    }
    if (direction.equals("desc")) {
      return true;
    }
    throw ApiError.badRequest("'sort_direction' must be asc or desc");
  }
}
