package dev.kiln.server.segments;

import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.auth.Permission;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Costly segment filters (docs/security.md, Denial of service): evaluated on connections of their
 * own, a bounded number at once (per node and per key), stopped at their time bound with a 400
 * saying so, and stopped when their client goes away, so API-key lookups, writes, reads and /health
 * never wait behind them. The filters are costly for real on each backend: on SQLite, ORs of
 * regular expressions that make Java's engine read each first name millions of times (just under
 * the bound of RegexpFunction); on PostgreSQL, ORs of regular expressions on long event properties
 * that its engine matches slowly. Unbounded, each takes minutes.
 */
class ITCostlySegments {
  private static final int TIMEOUT_SECONDS = 15;

  /**
   * More than every connection of the read pool (SQLite's 4, PostgreSQL's 8) that evaluated
   * segments before.
   */
  private static final int COSTLY_CALLS = 10;

  /**
   * What a user waits at most for anything else while costly filters run; unbounded, they wait
   * minutes.
   */
  private static final Duration PROMPT = Duration.ofSeconds(5);

  /** Room for a loaded machine between a query's bound and its answer. */
  private static final Duration MARGIN = Duration.ofSeconds(20);

  private static final int USERS = 150;
  private static final int EVENTS = 6_000;

  @RegisterExtension
  static final RunningKiln kiln =
      RunningKiln.perClass(
          Map.of("KILN_SEGMENT_QUERY_TIMEOUT_SECONDS", Integer.toString(TIMEOUT_SECONDS)));

  private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();
  private static String costly;
  private static String cheap;

  @BeforeAll
  static void costlyData() {
    for (int first = 0; first < USERS; first += 75) {
      track(
          "attributes",
          IntStream.range(first, first + 75)
              .mapToObj(
                  i ->
                      "{\"external_id\":"
                          + quote("costly-" + i)
                          + ",\"first_name\":"
                          + quote("a".repeat(40))
                          + "}"));
    }
    if (RunningKiln.onPostgres()) {
      Random random = new Random(17);
      String now = quote(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      for (int first = 0; first < EVENTS; first += 75) {
        track(
            "events",
            IntStream.range(first, first + 75)
                .mapToObj(
                    i ->
                        "{\"external_id\":"
                            + quote("costly-" + i % USERS)
                            + ",\"name\":\"view\",\"time\":"
                            + now
                            + ",\"properties\":{\"path\":"
                            + quote(randomAb(random, 255))
                            + "}}"));
      }
    }
    costly =
        createOk(
            kiln, "costly", RunningKiln.onPostgres() ? eventPropertyRegexes() : firstNameRegexes());
    cheap =
        createOk(
            kiln,
            "cheap",
            "{\"attribute\":\"external_id\",\"op\":\"equals\",\"value\":\"costly-1\"}");
  }

  private static void track(String array, Stream<String> objects) {
    Response tracked =
        kiln.post(
            "/users/track",
            "{\"" + array + "\":[" + objects.collect(Collectors.joining(",")) + "]}");
    assertThat(tracked.status()).as("%s", tracked).isEqualTo(201);
    assertThat(tracked.json().has("errors")).as("%s", tracked).isFalse();
  }

  @AfterAll
  static void stopClients() {
    CLIENTS.shutdownNow();
  }

  /**
   * {@code (.*a){4}X} on 40 a's: about three million reads of the text per match, and no X to find.
   */
  private static String firstNameRegexes() {
    return "{\"or\":["
        + IntStream.range(0, 10)
            .mapToObj(
                i ->
                    "{\"attribute\":\"first_name\",\"op\":\"matches_regex\","
                        + "\"value\":"
                        + quote("(.*a){4}" + (char) ('b' + i))
                        + "}")
            .collect(Collectors.joining(","))
        + "]}";
  }

  /**
   * Lookaheads for an a eleven places after another and the same of b, on 255 random a's and b's:
   * PostgreSQL's engine runs each lookahead's DFA (thousands of states, rebuilt as it goes) from
   * every position, about half a millisecond a text.
   */
  private static String eventPropertyRegexes() {
    return "{\"or\":["
        + IntStream.range(0, 20)
            .mapToObj(
                i ->
                    "{\"custom_event\":\"view\",\"op\":\"performed\","
                        + "\"in_last_days\":30,\"property\":{\"name\":\"path\",\"op\":\"matches_regex\",\"value\":"
                        + quote("(?=[ab]*a[ab]{10}a)(?=[ab]*b[ab]{10}b)" + (char) ('c' + i))
                        + "}}")
            .collect(Collectors.joining(","))
        + "]}";
  }

  private static String randomAb(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(random.nextBoolean() ? 'a' : 'b');
    }
    return text.toString();
  }

  @Test
  void costlySizesNeitherHoldUpTheRestOfTheApiNorRunPastTheirBound() throws Exception {
    String otherKey = sizeKey("another key holder");
    List<Future<Timed>> sizes = new ArrayList<>();
    for (int i = 0; i < COSTLY_CALLS; i++) {
      sizes.add(
          CLIENTS.submit(() -> Timed.of(() -> kiln.get("/segments/size?segment_id=" + costly))));
    }

    int rounds = 0;
    while (rounds == 0 || sizes.stream().anyMatch(size -> !size.isDone())) {
      rounds++;
      assertPrompt(
          () ->
              kiln.post(
                  "/users/track",
                  "{\"attributes\":[{\"external_id\":\"writer\",\"first_name\":\"W\"}]}"),
          201);
      assertPrompt(() -> kiln.post("/users/export/ids", "{\"external_ids\":[\"costly-1\"]}"), 200);
      assertPrompt(() -> kiln.send(HttpRequest.newBuilder(kiln.uri("/health")).GET()), 200);
      // One key takes at most half the node's slots: another key's size is counted meanwhile.
      assertPrompt(() -> sizeAs(otherKey, cheap), 200);
    }

    int stopped = 0;
    for (Future<Timed> size : sizes) {
      Timed answer = size.get();
      assertThat(answer.elapsed())
          .as("%s", answer)
          .isLessThan(Duration.ofSeconds(TIMEOUT_SECONDS).plus(MARGIN));
      if (answer.response().status() == 429) {
        assertThat(answer.response().header("Retry-After")).as("%s", answer).isNotBlank();
        assertThat(answer.response().json().path("message").asText())
            .contains("Too many segment evaluations");
      } else {
        assertThat(answer.response().status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.response().json().path("message").asText())
            .contains("took longer than " + TIMEOUT_SECONDS + " seconds to evaluate");
        stopped++;
      }
    }
    assertThat(stopped).as("sizes evaluated until their bound").isPositive();
  }

  /**
   * Clients that leave while their costly sizes run take the database's work with them: the node's
   * evaluation slots are free again long before the queries' bound, so a cheap size is counted.
   */
  @Test
  void aSizeWhoseClientLeavesStopsItsQuery() throws Exception {
    // Two keys, one slot each (half of KILN_SEGMENT_EVALUATIONS, 2): together every slot of the
    // node.
    List<String> keys = List.of(kiln.key(), sizeKey("leaving"));
    Socket[] leaving = {costlySize(keys.get(0)), costlySize(keys.get(1))};
    String prober = sizeKey("prober");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (sizeAs(prober, cheap).status() != 429) {
      assertThat(Instant.now()).as("the costly sizes took the node's slots").isBefore(deadline);
      for (int i = 0; i < leaving.length; i++) {
        if (leaving[i].getInputStream().available()
            > 0) { // answered: refused while a probe held a slot
          leaving[i].close();
          leaving[i] = costlySize(keys.get(i));
        }
      }
    }
    Instant left = Instant.now();
    for (Socket socket : leaving) {
      socket.close();
    }

    // Each leaving key has its slot back (a cheap size of its own is counted) long before the
    // bound.
    for (String key : keys) {
      Response size = sizeAs(key, cheap);
      while (size.status() == 429
          && Instant.now().isBefore(left.plus(Duration.ofSeconds(TIMEOUT_SECONDS / 2)))) {
        Thread.sleep(100);
        size = sizeAs(key, cheap);
      }
      assertThat(size.status())
          .as("a cheap size after the costly ones' clients left: %s", size)
          .isEqualTo(200);
      assertThat(size.json().path("size").asLong()).isEqualTo(1);
    }
  }

  /** A size of the costly segment over a raw connection, left open and unread. */
  private static Socket costlySize(String key) throws IOException {
    Socket socket = new Socket("127.0.0.1", kiln.uri("/").getPort());
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /segments/size?segment_id="
                + costly
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + key
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private static String sizeKey(String name) {
    return kiln.createKey(name, EnumSet.of(Permission.SEGMENTS_SIZE), List.of());
  }

  private static Response sizeAs(String key, String segment) {
    return kiln.send(
        HttpRequest.newBuilder(kiln.uri("/segments/size?segment_id=" + segment))
            .header("Authorization", "Bearer " + key)
            .GET());
  }

  private static void assertPrompt(Supplier<Response> call, int status) {
    Timed answer = Timed.of(call);
    assertThat(answer.response().status()).as("%s", answer).isEqualTo(status);
    assertThat(answer.elapsed()).as("%s", answer).isLessThan(PROMPT);
  }

  private record Timed(Response response, Duration elapsed) {
    static Timed of(Supplier<Response> call) {
      Instant start = Instant.now();
      Response response = call.get();
      return new Timed(response, Duration.between(start, Instant.now()));
    }
  }
}
