package dev.kiln.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Reads a request body as a JSON object, once per request, with error messages of Kiln's own
 * wording: what is wrong and where, never the parser's text.
 */
public final class JsonBodies {
  private static final String PARSED = "kiln.jsonBody";
  private static final String MALFORMED = "Malformed JSON in the request body";

  private JsonBodies() {}

  /** The body as a JSON object, or a 400 that says why it is not one. */
  public static ObjectNode object(Context ctx) {
    ObjectNode cached = ctx.attribute(PARSED);
    if (cached != null) {
      return cached;
    }
    // Received whole by RequestBodies: reading it never waits on the network, and a body that
    // stopped arriving or is over the limit was answered there.
    ObjectNode object = object(ctx.bodyAsBytes());
    ctx.attribute(PARSED, object);
    return object;
  }

  /** The bytes of a body as a JSON object, or a 400 that says why they are not one. */
  static ObjectNode object(byte[] body) {
    if (body.length == 0) {
      throw ApiError.badRequest("The request body is empty; send a JSON object");
    }
    // before Jackson, which reads overlong forms as the characters they spell
    if (!StrictUtf8.isValid(body)) {
      throw ApiError.badRequest(MALFORMED + ": it is not valid UTF-8");
    }
    JsonNode parsed = parse(body);
    if (!(parsed instanceof ObjectNode object)) {
      throw ApiError.badRequest("The request body must be a JSON object, not " + describe(parsed));
    }
    UnstorableValues.checkBody(object);
    return object;
  }

  private static JsonNode parse(byte[] body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(MALFORMED + ": " + reason(e) + where(e.getLocation()));
    } catch (IOException e) {
      throw ApiError.badRequest(MALFORMED);
    }
  }

  private static String reason(JsonProcessingException e) {
    if (e instanceof JsonEOFException) {
      return "it ends before the JSON value is complete";
    }
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
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
