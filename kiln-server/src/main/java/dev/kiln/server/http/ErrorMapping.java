package dev.kiln.server.http;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error leaves as JSON in Braze's shape. Only messages written for callers are sent; the
 * detail of an unexpected failure goes to the log, never into a response.
 */
public final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

  /**
   * How long a caller answered 503 is asked to wait before retrying [INF]: what fails that way (a
   * store restarting, a database worker down or failing over) is usually back within seconds, and a
   * fixed pause keeps retrying clients from hammering it meanwhile.
   */
  static final String UNAVAILABLE_RETRY_AFTER_SECONDS = "5";

  private ErrorMapping() {}

  public static void install(RoutesConfig routes) {
    routes.exception(ApiError.class, (e, ctx) -> Json.respond(ctx, e.status(), e.body()));
    routes.exception(KilnException.class, ErrorMapping::kilnFailure);
    routes.exception(HttpResponseException.class, ErrorMapping::frameworkResponse);
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
          Json.message(ctx, 500, "Internal Server Error");
        });
    routes.error(
        404,
        ctx -> {
          if (isEmpty(ctx)) {
            Json.message(ctx, 404, "Not Found: no endpoint at " + ctx.method() + " " + ctx.path());
          }
        });
  }

  private static void kilnFailure(KilnException e, Context ctx) {
    if (e.code().type() != ErrorCode.ErrorType.USER_ERROR) {
      LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
    }
    ApiError answer = answerTo(e);
    if (answer.status() == 503) {
      ctx.header(RateLimiting.RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECONDS);
    }
    Json.message(ctx, answer.status(), answer.getMessage());
  }

  /** The status and message a caller gets for Kiln's own failure: an internal one says no more. */
  static ApiError answerTo(KilnException e) {
    int status =
        switch (e.code()) {
          case INVALID_INPUT -> 400;
          case NOT_FOUND -> 404;
          case CONFLICT -> 409;
          case STORAGE_UNAVAILABLE, UNAVAILABLE -> 503;
          case INTERNAL -> 500;
        };
    return new ApiError(status, status == 500 ? "Internal Server Error" : e.getMessage());
  }

  /**
   * Javalin's own refusals. Not its 413: RequestBodies refuses a body over the limit, declared,
   * arriving or inflated, before Javalin runs, so no body Javalin reads is over its (equal)
   * maxRequestSize.
   */
  private static void frameworkResponse(HttpResponseException e, Context ctx) {
    Json.message(
        ctx, e.getStatus(), frameworkMessage(e.getStatus(), ctx.method().toString(), ctx.path()));
  }

  /** Kiln's words for a status Javalin chose: never Javalin's own text. */
  static String frameworkMessage(int status, String method, String path) {
    return switch (status) {
      case 404 -> "Not Found: no endpoint at " + method + " " + path;
      case 405 -> "Method Not Allowed: " + method + " is not allowed on " + path;
      default -> status >= 500 ? "Internal Server Error" : "Bad Request";
    };
  }

  private static boolean isEmpty(Context ctx) {
    String result = ctx.result();
    return result == null || result.isEmpty();
  }
}
