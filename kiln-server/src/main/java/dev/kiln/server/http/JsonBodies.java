package dev.kiln.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EofException;

/**
 * Reads a request body as a JSON object, once per request, with error messages of Kiln's own
 * wording: what is wrong and where, never the parser's text.
 */
public final class JsonBodies {
  private static final String PARSED = "kiln.jsonBody";

  private JsonBodies() {}

  /** The body as a JSON object, or a 400 that says why it is not one. */
  public static ObjectNode object(Context ctx) {
    ObjectNode cached = ctx.attribute(PARSED);
    if (cached != null) {
      return cached;
    }
    byte[] body = readBody(ctx);
    if (body.length == 0) {
      throw ApiError.badRequest("The request body is empty; send a JSON object");
    }
    JsonNode parsed = parse(body);
    if (!(parsed instanceof ObjectNode object)) {
      throw ApiError.badRequest("The request body must be a JSON object, not " + describe(parsed));
    }
    UnstorableValues.checkBody(object);
    ctx.attribute(PARSED, object);
    return object;
  }

  /**
   * The whole body. A body that stopped arriving (the read timeout) or arrived too slowly
   * ({@link SlowBodyGuard}) is a 408; one the client cut short by closing is a 400. Neither is the
   * server's fault, so neither is logged as an error.
   */
  private static byte[] readBody(Context ctx) {
    try {
      return ctx.bodyAsBytes();
    } catch (Exception e) { // Javalin is Kotlin: the read's IOException arrives undeclared
      if (causedBy(e, TimeoutException.class)) {
        throw new ApiError(408, "Request Timeout: the request body stopped arriving, or arrived too slowly");
      }
      if (causedBy(e, EofException.class)) {
        throw ApiError.badRequest("The request body ended before its Content-Length");
      }
      throw e instanceof RuntimeException unexpected ? unexpected : new IllegalStateException("reading the body failed", e);
    }
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode parse(byte[] body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("Malformed JSON in the request body: " + reason(e) + where(e.getLocation()));
    } catch (CharConversionException e) {
      throw ApiError.badRequest("Malformed JSON in the request body: it is not valid UTF-8");
    } catch (IOException e) {
      throw ApiError.badRequest("Malformed JSON in the request body");
    }
  }

  private static String reason(JsonProcessingException e) {
    if (e instanceof JsonEOFException) {
      return "it ends before the JSON value is complete";
    }
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (original.startsWith("Invalid UTF-8")) {
      return "it is not valid UTF-8";
    }
    if (original.startsWith("Duplicate field")) {
      return "a key appears twice in one object";
    }
    if (original.contains("Trailing token")) {
      return "there is more after the JSON value";
    }
    if (e instanceof StreamConstraintsException && original.contains("nesting depth")) {
      return "it nests objects and arrays deeper than " + Json.MAX_NESTING_DEPTH + " levels";
    }
    return "unexpected or invalid token";
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "that";
    };
  }
}
