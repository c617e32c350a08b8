package dev.kiln.server.http;

import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty writes itself, before a request reaches Javalin (a header block over the limit,
 * a bad {@code Content-Length}, a URI it cannot decode, a method it will not route), in Braze's
 * shape like every other error: {@code {"message": "..."}}, worded by Kiln from the status alone,
 * so neither Jetty's own text, its version nor a stack trace reaches the client. Also writes the
 * answers of Kiln's own Jetty-level handlers ({@link RequestBodies}).
 */
public final class JsonErrorHandler extends ErrorHandler {
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");
  private static final Map<Integer, String> EXPLAINED =
      Map.of(
          400, "Bad Request: the request is not valid HTTP",
          414, "URI Too Long: the request's URI is over the server's limit",
          431, "Request Header Fields Too Large: the request's headers are over the server's limit",
          500, "Internal Server Error");

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ERROR_EXCEPTION) instanceof HttpException failure
            ? failure.getCode()
            : response.getStatus();
    if (HttpStatus.hasNoBody(status)) {
      response.setStatus(status);
      callback.succeeded();
    } else {
      respond(response, callback, new ApiError(status, message(request, status)));
    }
    return true;
  }

  /**
   * The body Jetty sends when it cannot even parse the request into one (a 431, a bad
   * Content-Length).
   */
  @Override
  @SuppressWarnings("removal") // still Jetty 12.1's hook for a request it cannot parse
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(JSON);
    return ByteBuffer.wrap(Json.bytes(new ApiError(status, message(status)).body()));
  }

  /** Answers {@code error} as {@code {"message": ...}}, from a handler in front of Javalin. */
  static void respond(Response response, Callback callback, ApiError error) {
    byte[] body = Json.bytes(error.body());
    response.setStatus(error.status());
    response.getHeaders().put(JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /**
   * Jetty refuses a path whose %-escapes are not UTF-8 with a bare 400: say why, as for a query.
   */
  private static String message(Request request, int status) {
    return status == 400 && !StrictUtf8.isValidPercentEncoded(request.getHttpURI().getPath())
        ? StrictUtf8.URL_NOT_UTF8
        : message(status);
  }

  private static String message(int status) {
    // Otherwise the standard reason phrase, never the text Jetty gives with it.
    return EXPLAINED.getOrDefault(status, HttpStatus.getMessage(status));
  }
}
