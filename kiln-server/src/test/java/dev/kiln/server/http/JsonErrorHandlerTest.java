package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The body Jetty sends for a request it cannot parse, without a server: Braze's {@code {"message":
 * ...}} as JSON, worded by Kiln from the status alone, never the reason Jetty gives. Which requests
 * Jetty refuses so, and that the answer reaches the client, is ITHttpErrors'.
 */
class JsonErrorHandlerTest {
  private static final String JETTY_REASON = "HttpParser: 8192>8192 at org.eclipse.jetty";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "400 | Bad Request: the request is not valid HTTP",
        "414 | URI Too Long: the request's URI is over the server's limit",
        "431 | Request Header Fields Too Large: the request's headers are over the server's limit",
        "500 | Internal Server Error",
        "505 | HTTP Version Not Supported",
      })
  void aRequestJettyCannotParseIsAnsweredInKilnsWords(int status, String message)
      throws IOException {
    HttpFields.Mutable headers = HttpFields.build();

    ByteBuffer body = new JsonErrorHandler().badMessageError(status, JETTY_REASON, headers);

    assertThat(headers.get(HttpHeader.CONTENT_TYPE)).isEqualTo("application/json");
    byte[] bytes = new byte[body.remaining()];
    body.get(bytes);
    JsonNode answer = Json.MAPPER.readTree(bytes);
    assertThat(answer).isEqualTo(Json.MAPPER.createObjectNode().put("message", message));
    assertThat(answer.toString()).doesNotContain("jetty").doesNotContain("8192");
  }
}
