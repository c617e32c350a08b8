package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every ITFuzz class shares: a real Kiln for the class ({@link FuzzServer}, started before its
 * test and stopped, after a last health check, after it), and the loop that runs its property over
 * {@value #TRIES} generated bodies, or as many as the class says ({@link #fuzz}). For every try the
 * loop checks properties 1 and 2, Braze's contract for the answer ({@link ResponseContract}) and a
 * healthy server; the class checks property 3, what the try left in the store. The three properties
 * are defined in the package's javadoc, {@link dev.kiln.server.fuzz}.
 *
 * <p>Every try draws its body from a random source of its own, a function of the run's seed and the
 * try's number only, and its identifiers hold a tag made of that number ({@link
 * FuzzServer#newTry}): the same seed and number send the same bytes, whether the try runs among the
 * others or alone, but for the ids of fixture segments and the braze ids of a try's users, which
 * the server makes anew in every run. A class's default seed is fixed, the hash code of its simple
 * name (or of the name it gives each of its endpoints), so every build sends the same bodies;
 * {@code -Dkiln.fuzz.seed=N} explores others. The first failing try fails the test with the class,
 * the seed, the try's number, the body sent and what was wrong, and {@code -Dkiln.fuzz.seed=N
 * -Dkiln.fuzz.try=K} runs that try alone (on a fresh server: a failure that needs what earlier
 * tries stored needs the whole run of that seed again; in a class of several endpoints, it runs
 * that try on each of them).
 */
abstract class FuzzSuite {
  static final int TRIES = 10_000;
  static final String SEED_PROPERTY = "kiln.fuzz.seed";
  static final String TRY_PROPERTY = "kiln.fuzz.try";

  /** A run fails when it discards more than this many tries per try it checks. */
  private static final int MAX_DISCARD_RATIO = 5;

  private static FuzzServer server;

  @BeforeAll
  static void startServer() {
    server = FuzzServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /**
   * Closes the class's server, after a last health check, and starts a fresh one over a new store.
   */
  static void restartServer() {
    server.close();
    server = FuzzServer.start();
  }

  static FuzzServer server() {
    return server;
  }

  /**
   * Property 3 ({@link dev.kiln.server.fuzz}) of an endpoint: given a try, sends its body ({@link
   * Try#send}) and checks what it left.
   */
  @FunctionalInterface
  interface Property {
    void check(Try thisTry);
  }

  /**
   * Creates the fixtures, then runs {@code property} over {@value #TRIES} bodies (or the one try
   * {@code -Dkiln.fuzz.try} names), stopping at the first that fails.
   *
   * @param fixtures creates what the bodies refer to, and gives the placeholders that stand for it
   */
  final void fuzz(
      Endpoint endpoint,
      Function<FuzzServer, Map<String, String>> fixtures,
      Gen<FuzzRequest> bodies,
      Property property) {
    fuzz(getClass().getSimpleName(), endpoint, TRIES, fixtures, bodies, property);
  }

  /**
   * As {@link #fuzz(Endpoint, Function, Gen, Property)}, over {@code tries} bodies instead (for an
   * endpoint whose tries cost several requests each: its class says how many and why), seeded by
   * {@code suite}'s hash code: a class fuzzing several endpoints names each one.
   */
  final void fuzz(
      String suite,
      Endpoint endpoint,
      int tries,
      Function<FuzzServer, Map<String, String>> fixtures,
      Gen<FuzzRequest> bodies,
      Property property) {
    long seed = systemProperty(SEED_PROPERTY).map(Long::parseLong).orElse((long) suite.hashCode());
    Integer only = systemProperty(TRY_PROPERTY).map(Integer::valueOf).orElse(null);
    Map<String, String> fixturePlaceholders = fixtures.apply(server);
    int checked = 0;
    int discarded = 0;
    long began = System.nanoTime();
    for (int number = only == null ? 1 : only; number <= (only == null ? tries : only); number++) {
      Try thisTry = new Try(number, endpoint, server.newTry(number, fixturePlaceholders));
      try {
        thisTry.request = bodies.next(randomOf(seed, number));
        property.check(thisTry);
        if (thisTry.exchange == null) {
          throw new IllegalStateException("the property sent nothing");
        }
        server.assertStillHealthy(thisTry.exchange);
        checked++;
      } catch (Discarded discard) {
        discarded++;
      } catch (AssertionError | RuntimeException failure) {
        throw new AssertionError(failureReport(suite, seed, thisTry, failure), failure);
      }
    }
    System.out.printf(
        "%s on %s, seed %d: %d tries checked, %d discarded, in %d s; statuses %s%n",
        suite,
        RunningKiln.onPostgres() ? "PostgreSQL" : "SQLite",
        seed,
        checked,
        discarded,
        (System.nanoTime() - began) / 1_000_000_000,
        server.statusCounts());
    if (only == null) {
      assertThat(discarded)
          .as("tries discarded by %s of seed %d, against %d checked", suite, seed, checked)
          .isLessThanOrEqualTo(MAX_DISCARD_RATIO * checked);
    }
  }

  private static Optional<String> systemProperty(String name) {
    return Optional.ofNullable(System.getProperty(name))
        .map(String::strip)
        .filter(value -> !value.isEmpty());
  }

  /**
   * The random source of one try: a function of the seed and the try's number, and of nothing else.
   */
  static SplittableRandom randomOf(long seed, int number) {
    return new SplittableRandom(mix(seed ^ mix(number)));
  }

  /** A 64-bit finalizer (the one SplittableRandom uses): nearby inputs give unrelated outputs. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private String failureReport(String suite, long seed, Try thisTry, Throwable failure) {
    String testClass = getClass().getSimpleName();
    String sent =
        thisTry.exchange != null
            ? thisTry.exchange.toString()
            : thisTry.body != null
                ? "POST "
                    + thisTry.endpoint.path()
                    + " (Content-Type: "
                    + thisTry.request.contentType()
                    + ") with body\n  "
                    + Printable.bytes(thisTry.body, 4000)
                    + "\nand no answer"
                : "nothing: the try failed before its body was sent";
    return """
        %s failed on try %d of seed %d; run that try alone with -Dit.test=%s -D%s=%d -D%s=%d
        generated: %s
        sent: %s
        failure: %s"""
        .formatted(
            suite,
            thisTry.number,
            seed,
            testClass,
            SEED_PROPERTY,
            seed,
            TRY_PROPERTY,
            thisTry.number,
            Objects.requireNonNullElse(thisTry.request, "nothing: generating the body failed"),
            sent,
            failure);
  }

  /** Thrown by {@link Try#assume}: the try is not sent and not counted as checked. */
  private static final class Discarded extends RuntimeException {
    Discarded() {
      super(null, null, false, false);
    }
  }

  /**
   * What a try sent and got: the exchange, the answer as Braze's contract read it, and from the
   * store what the try wrote (found by the marks taken before it and the millisecond it began at,
   * see {@link StoreProbe}).
   */
  record Sent(Exchange exchange, JsonNode answer, StoreProbe.Marks marks, long start) {
    /** The users, events and purchases the try wrote. */
    StoreProbe.UserChanges userChanges() {
      return server.store().userChangesSince(marks, start);
    }

    /** The segments the try created, changed or archived. */
    List<StoreProbe.SegmentRow> segmentsTouched() {
      return server.store().segmentsTouchedSince(start);
    }

    /** The export jobs the try queued. */
    List<StoreProbe.ExportJobRow> exportJobs() {
      return server.store().exportJobsSince(start);
    }
  }

  /**
   * One try: its generated request and placeholders (a property may add some before sending), and
   * what it sent.
   */
  static final class Try {
    private final int number;
    private final Endpoint endpoint;
    private final Map<String, String> placeholders;
    private FuzzRequest request;
    private byte[] body;
    private Exchange exchange;

    private Try(int number, Endpoint endpoint, Map<String, String> placeholders) {
      this.number = number;
      this.endpoint = endpoint;
      this.placeholders = placeholders;
    }

    /**
     * The placeholders the body is rendered with; a property may add its own before {@link #send}.
     */
    Map<String, String> placeholders() {
      return placeholders;
    }

    /** The bytes {@link #send} sends, with the placeholders as they are now. */
    byte[] body() {
      return request.render(placeholders);
    }

    /** Discards the try, unsent, unless {@code condition} holds. */
    void assume(boolean condition) {
      if (body != null) {
        throw new IllegalStateException(
            "a try is discarded before its body is sent, or not at all");
      }
      if (!condition) {
        throw new Discarded();
      }
    }

    /**
     * Sends the body once, at the start of a millisecond of its own ({@link
     * FuzzServer#startOfTry}), and checks the answer keeps Braze's contract.
     */
    Sent send() {
      if (body != null) {
        throw new IllegalStateException("a try sends one body");
      }
      body = body();
      StoreProbe.Marks marks = server.store().marks();
      long start = server.startOfTry();
      exchange = server.send(endpoint.path(), body, request.contentType());
      return new Sent(exchange, ResponseContract.check(exchange, endpoint), marks, start);
    }
  }
}
