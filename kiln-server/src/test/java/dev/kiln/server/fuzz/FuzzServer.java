package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A real Kiln (RunningKiln: a server on loopback over a real store, SQLite or PostgreSQL as the
 * build chose) for one fuzz class, with what the properties need around it: tags that make each
 * try's identifiers its own, a clock mark that tells a try's writes from earlier ones, the store
 * probe, and the health check.
 */
final class FuzzServer implements AutoCloseable {
  /** The placeholder every generated identifier holds; replaced by the try's tag. */
  static final String TAG = "{T}";

  private static final int HEALTH_CHECK_EVERY = 20;

  private final RunningKiln kiln;
  private final StoreProbe store;
  private final SortedMap<Integer, Integer> statusCounts = new TreeMap<>();
  private int currentTry;
  private long lastAnswerMillis;

  private FuzzServer(RunningKiln kiln) {
    this.kiln = kiln;
    this.store = StoreProbe.open(kiln.jdbcUrl());
  }

  static FuzzServer start() {
    return new FuzzServer(RunningKiln.start());
  }

  StoreProbe store() {
    return store;
  }

  /**
   * The placeholders of try {@code number}: a tag made of the number, so no other try of the run
   * has it and the try sends the same bytes when run alone ({@code fz000042}, fixed width so bodies
   * keep their length from try to try), plus the fixtures the test names.
   */
  Map<String, String> newTry(int number, Map<String, String> fixtures) {
    currentTry = number;
    Map<String, String> placeholders = new HashMap<>(fixtures);
    placeholders.put(TAG, "fz%06d".formatted(number));
    return placeholders;
  }

  /**
   * The start of a try, in epoch milliseconds: the first millisecond after the last answer, so
   * whatever earlier requests wrote is stamped before it and whatever this try writes at or after.
   */
  long startOfTry() {
    long now = System.currentTimeMillis();
    while (now <= lastAnswerMillis) {
      Thread.onSpinWait();
      now = System.currentTimeMillis();
    }
    return now;
  }

  /**
   * Sends a fuzzed body with the all-permissions key; a null {@code contentType} sends no
   * Content-Type.
   */
  Exchange send(String path, byte[] body, String contentType) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(kiln.uri(path))
            .header("Authorization", "Bearer " + kiln.key())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    Response response;
    try {
      response = kiln.send(builder);
    } catch (UncheckedIOException e) {
      throw new AssertionError(
          "the server did not answer POST " + path + " with body " + Printable.bytes(body, 4000),
          e);
    }
    lastAnswerMillis = System.currentTimeMillis();
    statusCounts.merge(response.status(), 1, Integer::sum);
    return Exchange.of(path, body, contentType, response);
  }

  /** How often each status came back to {@link #send}, for the run's summary. */
  SortedMap<Integer, Integer> statusCounts() {
    return statusCounts;
  }

  /** A request of the test's own (fixtures, clean-up), as an ordinary client sends it. */
  Response post(String path, String json) {
    Response response = kiln.post(path, json);
    lastAnswerMillis = System.currentTimeMillis();
    return response;
  }

  /**
   * Property 2 (defined in {@link dev.kiln.server.fuzz}), checked every {@value
   * #HEALTH_CHECK_EVERY} tries (a health check costs about as much as a fuzzed request) and when
   * the server is closed; a server that died in between fails the next try anyway, which then gets
   * no answer.
   */
  void assertStillHealthy(Exchange after) {
    if (currentTry % HEALTH_CHECK_EVERY == 0) {
      assertHealthy(after);
    }
  }

  /** The server still answers its health check, on the port it started on. */
  void assertHealthy(Object after) {
    Response health;
    try {
      health = kiln.send(HttpRequest.newBuilder(kiln.uri("/health")).GET());
    } catch (UncheckedIOException e) {
      throw new AssertionError("the server stopped answering after " + after, e);
    }
    assertThat(health.status()).as("GET /health after %s", after).isEqualTo(200);
  }

  /** Checks the server is still healthy after the last try, then stops it. */
  @Override
  public void close() {
    try {
      assertHealthy("the last try");
    } finally {
      store.close();
      kiln.close();
    }
  }
}
