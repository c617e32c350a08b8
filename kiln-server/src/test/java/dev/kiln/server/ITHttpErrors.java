package dev.kiln.server;

import static dev.kiln.server.ErrorBodies.assertErrorMessage;
import static dev.kiln.server.ErrorBodies.assertExactError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.RawHttp;
import dev.kiln.server.testing.RawHttp.Answer;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every error leaves as Braze-shaped JSON, {"message": "..."}, worded by Kiln: never a library's,
 * the database's or a stack trace's text (compatibility.md, "Cross-cutting").
 */
class ITHttpErrors {
  private static final String MALFORMED = "Malformed JSON in the request body";

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  // --- 404 and 405 ---

  @Test
  void anUnknownPathIs404NamingTheMethodAndPath() {
    assertExactError(kiln.post("/x", "{}"), 404, "Not Found: no endpoint at POST /x");
  }

  @Test
  void anUnknownPathIs404EvenWithoutAKey() {
    Response response = kiln.send(HttpRequest.newBuilder(kiln.uri("/users/nothing-here")).GET());
    String message = assertErrorMessage(response, 404);
    assertThat(message).contains("GET").contains("/users/nothing-here");
  }

  @Test
  void theWrongMethodOnAnApiRouteIs405() {
    assertExactError(
        kiln.get("/users/track"), 405, "Method Not Allowed: GET is not allowed on /users/track");
  }

  @Test
  void postToHealthIs405() {
    assertExactError(
        kiln.post("/health", "{}"), 405, "Method Not Allowed: POST is not allowed on /health");
  }

  // --- 413 ---

  @Test
  void aBodyOverTheConfiguredLimitIs413() {
    try (RunningKiln small = RunningKiln.start(Map.of("KILN_MAX_BODY_BYTES", "2048"))) {
      Response response = small.post("/users/track", trackBodyOfSize(4 * 1024));
      String message = assertErrorMessage(response, 413);
      assertThat(message).startsWith("Payload Too Large").contains("2048");
    }
  }

  @Test
  void aBodyOverTheDefaultLimitOf4MiBIs413() {
    Response response = kiln.post("/users/track", trackBodyOfSize(5 * 1024 * 1024));
    String message = assertErrorMessage(response, 413);
    assertThat(message).startsWith("Payload Too Large").contains("4194304");
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() {
    // No Content-Length: the limit must hold for the bytes actually sent, not only for the header.
    try (RunningKiln small = RunningKiln.start(Map.of("KILN_MAX_BODY_BYTES", "2048"))) {
      Response response = postChunked(small, trackBodyOfSize(64 * 1024));
      String message = assertErrorMessage(response, 413);
      assertThat(message).startsWith("Payload Too Large").contains("2048");
    }
  }

  @Test
  void everyOversizeChunkedBodyGetsItsAnswerBeforeTheClose() {
    // The server answers 413 while the client is still sending, then closes. Were the rest of the
    // body left unread, the close would reset the connection and the client could lose the answer
    // (it did, now and then, before the server read and dropped it): a race, so try it many times.
    try (RunningKiln small = RunningKiln.start(Map.of("KILN_MAX_BODY_BYTES", "2048"))) {
      String body = trackBodyOfSize(256 * 1024);
      for (int attempt = 0; attempt < 200; attempt++) {
        Response response = postChunked(small, body);
        assertThat(response.status()).as("attempt %d: %s", attempt, response).isEqualTo(413);
      }
    }
  }

  /** A /users/track POST without Content-Length: the JDK client sends a stream chunked. */
  private static Response postChunked(RunningKiln server, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return server.send(
        HttpRequest.newBuilder(server.uri("/users/track"))
            .header("Authorization", "Bearer " + server.key())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
  }

  @Test
  void aBodyJustUnderTheLimitIsNot413() {
    try (RunningKiln small = RunningKiln.start(Map.of("KILN_MAX_BODY_BYTES", "2048"))) {
      Response response = small.post("/users/track", trackBodyOfSize(2000));
      assertThat(response.status()).as("%s", response).isNotIn(404, 405, 413);
    }
  }

  // --- 400 for bodies that are not a JSON object (JsonBodiesTest holds each message's wording and
  // the other malformed bodies) ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"attributes\": [",
        "{\"a\":1,\"a\":2}",
      })
  void malformedJsonIs400InKilnsOwnWords(String body) {
    String message = assertErrorMessage(kiln.post("/users/track", body), 400);
    assertThat(message).startsWith(MALFORMED + ": ");
  }

  @Test
  void invalidUtf8SaysItIsNotUtf8() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    Response response =
        kiln.send(
            HttpRequest.newBuilder(kiln.uri("/users/track"))
                .header("Authorization", "Bearer " + kiln.key())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    String message = assertErrorMessage(response, 400);
    assertThat(message).startsWith(MALFORMED).contains("UTF-8");
  }

  @Test
  void anEmptyBodyIs400() {
    assertExactError(
        kiln.post("/users/track", ""), 400, "The request body is empty; send a JSON object");
  }

  @Test
  void aJsonArrayIs400() {
    assertExactError(
        kiln.post("/users/track", "[{\"external_id\":\"a\"}]"),
        400,
        "The request body must be a JSON object, not an array");
  }

  // --- U+0000, which PostgreSQL cannot store (compatibility.md) ---

  // Where in a body each kind is found, and the exact messages: UnstorableValuesTest.

  @Test
  void aNulCharacterInTheBodyIs400AndStoresNothing() {
    assertRefusedStoringNothing(
        "{\"attributes\":[{\"external_id\":\"nul-user\",\"pl\\u0000an\":\"gold\"}]}",
        "the character U+0000 (NUL)",
        "nul-user");
  }

  /**
   * /users/track refuses the body for holding this, and none of the users it names exists
   * afterwards.
   */
  private static void assertRefusedStoringNothing(
      String body, String holds, String... externalIds) {
    assertExactError(
        kiln.post("/users/track", body),
        400,
        "The request holds " + holds + " in its body, which Kiln does not accept");

    Response exported =
        kiln.post(
            "/users/export/ids",
            "{\"external_ids\":[\"" + String.join("\",\"", externalIds) + "\"]}");
    assertThat(exported.json().path("users")).as("nothing of the request was stored").isEmpty();
  }

  // --- lone UTF-16 surrogates, which no UTF-8 text holds (compatibility.md) ---

  @Test
  void aLoneSurrogateInTheBodyIs400AndStoresNothing() {
    assertRefusedStoringNothing(
        "{\"attributes\":[{\"external_id\":\"lone\\ud800id\",\"plan\":\"gold\"}]}",
        "a lone UTF-16 surrogate (U+D800 to U+DFFF without its pair)",
        "lone-user",
        "lone?id");
  }

  @Test
  void aLoneSurrogateInAKeyIs400() {
    // Jackson's parser itself refuses this one, as malformed JSON: a 400 either way.
    Response answer =
        kiln.post(
            "/users/track",
            "{\"attributes\":[{\"external_id\":\"lone-user\",\"pl\\udc00an\":\"gold\"}]}");
    assertThat(answer.status()).as("%s", answer).isEqualTo(400);
    assertThat(
            kiln.post("/users/export/ids", "{\"external_ids\":[\"lone-user\"]}")
                .json()
                .path("users"))
        .isEmpty();
  }

  @Test
  void invalidUtf8ThatDecodesToASurrogateIs400() {
    byte[] encodedSurrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // CESU-8's U+D800: not UTF-8
    byte[] body =
        concat(
            "{\"attributes\":[{\"external_id\":\"cesu".getBytes(StandardCharsets.UTF_8),
            encodedSurrogate,
            "\",\"plan\":\"gold\"}]}".getBytes(StandardCharsets.UTF_8));
    Response answer =
        kiln.send(
            HttpRequest.newBuilder(kiln.uri("/users/track"))
                .header("Authorization", "Bearer " + kiln.key())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertThat(answer.status()).as("%s", answer).isEqualTo(400);
  }

  @Test
  void aSurrogatePairIsACharacterLikeAnyOther() {
    Response answer =
        kiln.post(
            "/users/track",
            "{\"attributes\":[{\"external_id\":\"emoji-\\ud83d\\ude00\",\"plan\":\"gold\"}]}");
    assertThat(answer.status()).as("%s", answer).isEqualTo(201);
    assertThat(
            kiln.post("/users/export/ids", "{\"external_ids\":[\"emoji-\uD83D\uDE00\"]}")
                .json()
                .path("users"))
        .hasSize(1);
  }

  @Test
  void aNumberNoDatabaseCanHoldIs400AndStoresNothing() {
    Response answer =
        kiln.post(
            "/users/track", "{\"attributes\":[{\"external_id\":\"huge-number\",\"n\":1e999999}]}");

    assertExactError(
        answer,
        400,
        "The request holds a number too large to store (beyond 1.7976931348623157e308)");
    Response exported = kiln.post("/users/export/ids", "{\"external_ids\":[\"huge-number\"]}");
    assertThat(exported.json().path("users")).as("nothing of the request was stored").isEmpty();
  }

  @Test
  void jsonNestedDeeperThan64LevelsIs400() {
    String deep = "{\"a\":".repeat(70) + "1" + "}".repeat(70);
    String message = assertErrorMessage(kiln.post("/users/track", deep), 400);
    assertThat(message)
        .startsWith(MALFORMED + ": it nests objects and arrays deeper than 64 levels");
  }

  @Test
  void aNulCharacterInTheQueryIs400() {
    assertExactError(
        kiln.get("/segments/size?segment_id=a%00b"),
        400,
        "The request holds the character U+0000 (NUL) in its URL, which Kiln does not accept");
  }

  // --- bytes that are not UTF-8 (RFC 3629), which a lenient decoder would read as other characters
  // ---

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "C0 AF", // '/' in an overlong form: "a/b" by another spelling
        "E0 80 AF", // '/' again, three bytes long
        "C0 A2", // '"', which would end the string early
        "ED A0 80", // U+D800, a surrogate, encoded as if it were a character
        "F4 90 80 80", // U+110000, beyond Unicode
        "F8 88 80 80 80", // a five-byte form
        "E2 82", // a sequence cut short
      })
  void aBodyThatIsNotValidUtf8Is400AndStoresNothing(String hexBytes) {
    byte[] body =
        concat(
            "{\"attributes\":[{\"external_id\":\"a".getBytes(StandardCharsets.UTF_8),
            HexFormat.ofDelimiter(" ").parseHex(hexBytes),
            "b\",\"plan\":\"gold\"}]}".getBytes(StandardCharsets.UTF_8));

    assertExactError(postBytes(body, Map.of()), 400, MALFORMED + ": it is not valid UTF-8");
    Response exported = kiln.post("/users/export/ids", "{\"external_ids\":[\"a/b\",\"a\\\"b\"]}");
    assertThat(exported.json().path("users")).as("nothing of the request was stored").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"%C0%AF", "%E0%80%AF", "%ED%A0%80", "%F4%90%80%80", "%E2%82"})
  void aQueryThatIsNotValidUtf8Is400(String escapes) {
    assertExactError(
        kiln.get("/segments/size?segment_id=a" + escapes + "b"),
        400,
        "The request's URL is not valid UTF-8 once its %-escapes are decoded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"%C0%AF", "%E0%80%AF", "%ED%A0%80", "%F4%90%80%80", "%E2%82"})
  void aPathThatIsNotValidUtf8Is400(String escapes) {
    assertExactError(
        kiln.post("/users/track" + escapes, "{}"),
        400,
        "The request's URL is not valid UTF-8 once its %-escapes are decoded");
  }

  @Test
  void validUtf8EscapesInTheQueryAreText() {
    Response response = kiln.get("/segments/size?segment_id=%E2%82%AC%F0%9F%98%80");
    assertThat(response.status()).as("%s", response).isNotEqualTo(400);
  }

  // --- Content-Encoding of request bodies ---

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "deflate", "x-gzip"})
  void aCompressedBodyIsStoredAsThePlainOneWouldBe(String encoding) throws IOException {
    String externalId = "compressed-" + encoding;
    byte[] body =
        compress(
            encoding,
            "{\"attributes\":[{\"external_id\":\"" + externalId + "\",\"plan\":\"gold\"}]}");

    Response response = postBytes(body, Map.of("Content-Encoding", encoding));

    assertThat(response.status()).as("%s", response).isEqualTo(201);
    Response exported =
        kiln.post(
            "/users/export/ids",
            "{\"external_ids\":[\""
                + externalId
                + "\"],\"fields_to_export\":[\"custom_attributes\"]}");
    assertThat(
            exported.json().path("users").path(0).path("custom_attributes").path("plan").asText())
        .as("%s", exported)
        .isEqualTo("gold");
  }

  @Test
  void aCompressedBodyThatInflatesOverTheLimitIs413AndStoresNothing() throws IOException {
    // 8 MiB of JSON in some 8 KB of gzip: a small request that would be twice the limit once
    // inflated.
    String inflated =
        "{\"attributes\":[{\"external_id\":\"bomb\",\"filler\":\"" + "x".repeat(8 << 20) + "\"}]}";
    byte[] bomb = compress("gzip", inflated);
    assertThat(bomb.length).isLessThan(64 * 1024);

    Response response = postBytes(bomb, Map.of("Content-Encoding", "gzip"));

    assertExactError(
        response, 413, "Payload Too Large: the request body is over the limit of 4194304 bytes");
    assertThat(kiln.post("/users/export/ids", "{\"external_ids\":[\"bomb\"]}").json().path("users"))
        .isEmpty();
  }

  /**
   * BodyEncodingTest holds the other codings Kiln refuses; one shows the 415 reaches the client.
   */
  @Test
  void anEncodingKilnCannotDecodeIs415AndStoresNothing() {
    String encoding = "gzip, br";
    Response response =
        postBytes(
            "{\"attributes\":[{\"external_id\":\"encoded\",\"plan\":\"gold\"}]}"
                .getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Encoding", encoding));

    String message = assertErrorMessage(response, 415);
    assertThat(message)
        .startsWith("Unsupported Media Type: Content-Encoding '" + encoding + "' is not supported");
    assertThat(
            kiln.post("/users/export/ids", "{\"external_ids\":[\"encoded\"]}").json().path("users"))
        .isEmpty();
  }

  @Test
  void aBodyThatIsNotTheGzipItClaimsIs400() {
    Response response =
        postBytes(
            "{\"attributes\":[]}".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Encoding", "gzip"));
    assertExactError(
        response,
        400,
        "The request body is not valid gzip data, as its Content-Encoding says it is");
  }

  // --- errors Jetty answers itself, before any route: raw sockets, since no HTTP client sends
  // these ---

  static Stream<Arguments> requestsJettyRefuses() {
    String body = "{\"attributes\":[]}";
    return Stream.of(
        Arguments.of(
            "headers over the limit",
            "GET /health HTTP/1.1\r\nHost: k\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
            431),
        Arguments.of(
            "a Content-Length that is not a number", post("Content-Length: ten\r\n", body), 400),
        Arguments.of(
            "two different Content-Lengths",
            post("Content-Length: 17\r\nContent-Length: 18\r\n", body),
            400),
        Arguments.of(
            "Content-Length and chunked at once",
            post("Content-Length: 17\r\nTransfer-Encoding: chunked\r\n", body),
            400),
        Arguments.of(
            "an unknown Transfer-Encoding", post("Transfer-Encoding: mystery\r\n", body), 400),
        Arguments.of(
            "a NUL byte in the path", "GET /hea\u0000lth HTTP/1.1\r\nHost: k\r\n\r\n", 400),
        Arguments.of("CONNECT", "CONNECT 127.0.0.1:9 HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n", 404),
        Arguments.of(
            "an HTTP version that does not exist", "GET /health HTTP/7.0\r\nHost: k\r\n\r\n", 505));
  }

  private static String post(String lengthHeaders, String body) {
    return "POST /users/track HTTP/1.1\r\nHost: k\r\nContent-Type: application/json\r\n"
        + lengthHeaders
        + "\r\n"
        + body;
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("requestsJettyRefuses")
  void errorsJettyAnswersItselfAreJsonInBrazesShape(String what, String request, int status)
      throws IOException {
    Answer answer = RawHttp.exchange(kiln, request, Duration.ofSeconds(15));
    assertErrorMessage(answer.response(), status);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void expectContinueWithALengthOverTheLimitIs413WithoutAskingForTheBody(boolean withKey)
      throws IOException {
    String request =
        "POST /users/track HTTP/1.1\r\nHost: k\r\nContent-Type: application/json\r\n"
            + (withKey ? "Authorization: Bearer " + kiln.key() + "\r\n" : "")
            + "Expect: 100-continue\r\nContent-Length: 10000000\r\n\r\n";

    Answer answer = RawHttp.exchange(kiln, request, Duration.ofSeconds(15));

    assertThat(answer.raw())
        .as("the client must not be told to send the body")
        .doesNotContain("100 Continue");
    assertExactError(
        answer.response(),
        413,
        "Payload Too Large: the request body is over the limit of 4194304 bytes");
  }

  @Test
  void expectContinueWithinTheLimitIsAskedForTheBody() throws IOException {
    String body = "{\"attributes\":[{\"external_id\":\"continued\",\"plan\":\"gold\"}]}";
    try (Socket socket = RawHttp.connect(kiln, Duration.ofSeconds(15))) {
      socket
          .getOutputStream()
          .write(
              ("POST /users/track HTTP/1.1\r\nHost: k\r\nContent-Type: application/json\r\n"
                      + "Authorization: Bearer "
                      + kiln.key()
                      + "\r\nExpect: 100-continue\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      byte[] interim = new byte[25];
      int read = socket.getInputStream().readNBytes(interim, 0, interim.length);
      assertThat(new String(interim, 0, read, StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 100 Continue");
      socket.getOutputStream().write(body.getBytes(StandardCharsets.US_ASCII));
      assertThat(RawHttp.read(socket).status()).isEqualTo(201);
    }
  }

  private static Response postBytes(byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(kiln.uri("/users/track"))
            .header("Authorization", "Bearer " + kiln.key())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return kiln.send(request);
  }

  private static byte[] compress(String encoding, String text) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out =
        encoding.endsWith("gzip")
            ? new GZIPOutputStream(compressed)
            : new DeflaterOutputStream(compressed)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return compressed.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      joined.writeBytes(part);
    }
    return joined.toByteArray();
  }

  @Test
  void theSameMalformedBodyGetsTheSameAnswerOnEveryJsonEndpoint() {
    for (String path : new String[] {"/users/track", "/users/track/sync", "/users/export/ids"}) {
      String message = assertErrorMessage(kiln.post(path, "{\"a\":1} {\"b\":2}"), 400);
      assertThat(message).as(path).startsWith(MALFORMED + ": there is more after the JSON value");
    }
  }

  @Test
  void errorBodiesNeverCarryStackFramesOrLibraryText() {
    Response[] responses = {
      kiln.post("/x", "{}"),
      kiln.get("/users/track"),
      kiln.post("/users/track", "{\"attributes\": ["),
      kiln.post("/users/track", "[1]"),
      kiln.post("/users/export/ids", "{\"a\":1,\"a\":2}"),
    };
    for (Response response : responses) {
      assertThat(response.status()).as("%s", response).isBetween(400, 499);
      ErrorBodies.assertJson(response);
      ErrorBodies.assertNoLeaks(response);
    }
  }

  /** A valid /users/track body of exactly {@code size} bytes. */
  private static String trackBodyOfSize(int size) {
    String prefix = "{\"attributes\":[{\"external_id\":\"big\",\"filler\":\"";
    String suffix = "\"}]}";
    String body = prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix;
    assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(size);
    return body;
  }
}
