package dev.kiln.server.crash;

import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.server.testing.FixedBackend;
import dev.kiln.server.testing.KilnProcess;
import dev.kiln.server.testing.RunningKiln.Response;
import dev.kiln.server.testing.TestJson;
import dev.kiln.storage.postgres.PostgresTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code POST /users/track} is crash safe: the shipped jar, on each backend, is killed with SIGKILL
 * (as a crash or the OOM killer does) while clients send requests as fast as they can, round after
 * round on the same data. After a last, normal start the store holds
 *
 * <ul>
 *   <li>every request answered 2xx, whole and once (a 201 means committed: README,
 *       ARCHITECTURE.md);
 *   <li>every request left unanswered by the kill either whole and once, or not at all (one request
 *       is one transaction);
 *   <li>nothing of a request answered with another status;
 *   <li>a shared counter that every request increments equal to the number of requests stored, so a
 *       request replayed or applied twice after a restart shows.
 * </ul>
 *
 * <p>Every object of a request carries a marker unique to the request (an attribute {@code r_<id>},
 * event names {@code e_<id>_<i>}, product ids {@code p_<id>_<i>}), so that one export of the few
 * users tells, per request, which of its objects were stored and how many times.
 */
@FixedBackend("runs the shipped jar on each backend itself")
class ITTrackCrash {
  private static final int ROUNDS = 10;
  private static final int CLIENT_THREADS = 8;

  /** Few users, so one /users/export/ids request (at most 50 ids) reads everything back. */
  private static final int USERS = 30;

  private static final String COUNTER_USER = "counter";
  private static final String COUNTER = "requests_applied";

  /**
   * How long the clients send before the kill: long enough for a warm JVM, short enough for a cold
   * one.
   */
  private static final int MIN_KILL_DELAY_MILLIS = 300;

  private static final int MAX_KILL_DELAY_MILLIS = 2_500;

  /**
   * A request on a connection the kill cut can be left waiting by the JDK's client; unanswered, it
   * is unknown.
   */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** A broken store can break thousands of requests: the failure lists the first few. */
  private static final int VIOLATIONS_SHOWN = 20;

  /** Event and purchase times: recent, so the export's 90-day rule lists every name. */
  private static final String TIME =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60).toString();

  @TempDir Path dataDir;
  @TempDir Path workDir; // the processes' output and config files, and their copy of the jar

  private final long seed = Long.getLong("kiln.test.seed", System.nanoTime());
  private final String secret = ApiKeySecrets.generate();
  private int port; // of the process running now
  private final AtomicInteger nextRequestId = new AtomicInteger();
  private final Map<Integer, TrackRequest> sent = new ConcurrentHashMap<>();
  private final Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
  private final List<String> serverErrors = new ArrayList<>();

  enum Backend {
    SQLITE,
    POSTGRES
  }

  /** What the client learned of a request. */
  enum Answer {
    /** 2xx: the server promised the whole request is stored. */
    ACKNOWLEDGED,
    /** Another status: the server promised nothing of it is stored. */
    REFUSED,
    /** No answer (reset, refused, timed out): stored whole or not at all, but unknown which. */
    UNKNOWN
  }

  private record Outcome(Answer answer, int status, int round) {}

  /** One event or purchase of a request, on one user: a purchase of quantity q counts q times. */
  private record Activity(String user, String name, int count) {}

  /** One /users/track request, with everything the check needs to find it in the store. */
  private record TrackRequest(
      int id, String attributeUser, List<Activity> events, List<Activity> purchases) {
    String attribute() {
      return "r_" + id;
    }
  }

  /** How much of one request the store holds. */
  private enum Presence {
    WHOLE,
    NONE,
    PARTIAL
  }

  /** A request's presence in the store, and what was wrong when it is PARTIAL. */
  private record Found(Presence presence, List<String> details) {}

  @BeforeAll
  static void theJarIsBuilt() {
    assertThat(KilnProcess.JAR)
        .as("the shaded jar (built by `package`, before Failsafe runs)")
        .isRegularFile();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  @Timeout(
      value = 4,
      unit = TimeUnit.MINUTES) // about 1 minute per backend on 2 cores; a hang fails
  void everyAcknowledgedRequestSurvivesSigkillAndNoRequestIsHalfStored(Backend backend)
      throws Exception {
    long started = System.nanoTime();
    // The processes run a minute or more: a copy of their own keeps a `package` run meanwhile from
    // rewriting their jar under them.
    Path jar = Files.copy(KilnProcess.JAR, workDir.resolve("kiln-server.jar"));
    Map<String, String> settings = settings(backend);
    Random delays = new Random(seed);

    for (int round = 1; round <= ROUNDS; round++) {
      runRoundEndingInAKill(
          jar, settings, round, delays.nextInt(MIN_KILL_DELAY_MILLIS, MAX_KILL_DELAY_MILLIS + 1));
    }

    KilnProcess last = serve(jar, settings);
    try {
      Map<String, JsonNode> users = exportEveryUser();
      collectServerErrors(last, ROUNDS + 1);
      StoredMarkers stored = StoredMarkers.of(users);
      Map<Integer, Found> found = findEveryRequest(stored);
      printSummary(backend, found, started);
      assertStoredAsAnswered(found, stored, counterOf(users));
      assertACrashHitRequestsInFlight();
    } finally {
      last.close();
    }
  }

  // --- the rounds ---

  /**
   * Starts the jar on the test's data, lets the clients send for {@code killDelayMillis}, then
   * kills it with requests in flight. The clients stop sending new requests as the kill lands, so
   * that requests refused by a dead port do not pile up as unknowns that never reached the server.
   */
  private void runRoundEndingInAKill(
      Path jar, Map<String, String> settings, int round, int killDelayMillis) throws Exception {
    KilnProcess kiln = serve(jar, settings);
    AtomicBoolean killed = new AtomicBoolean();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int client = 0; client < CLIENT_THREADS; client++) {
        running.add(clients.submit(() -> sendUntilKilled(http, round, killed)));
      }
      Thread.sleep(killDelayMillis);
      killed.set(true);
      assertThat(kiln.kill())
          .as("exit code of a JVM killed by SIGKILL (seed %d, round %d)", seed, round)
          .isEqualTo(KilnProcess.EXIT_SIGKILL);
      for (Future<?> client : running) {
        client.get(
            REQUEST_TIMEOUT.toSeconds() + 20,
            TimeUnit.SECONDS); // a client's own failure shows here
      }
      collectServerErrors(kiln, round);
    } finally {
      clients.shutdownNow();
      http.close();
      kiln.close();
    }
  }

  private void sendUntilKilled(HttpClient http, int round, AtomicBoolean killed) {
    while (!killed.get()) {
      TrackRequest request = plan(nextRequestId.getAndIncrement());
      sent.put(request.id(), request);
      outcomes.put(request.id(), send(http, request, round));
    }
  }

  /**
   * The JDK's client never resends a POST on its own (only idempotent methods are retried), so a
   * request is stored at most once unless the server stores it twice.
   */
  private Outcome send(HttpClient http, TrackRequest request, int round) {
    HttpRequest post =
        HttpRequest.newBuilder(uri("/users/track"))
            .header("Authorization", "Bearer " + secret)
            .header("Content-Type", "application/json")
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(body(request)))
            .build();
    try {
      int status = Response.send(http, post).status();
      return new Outcome(status / 100 == 2 ? Answer.ACKNOWLEDGED : Answer.REFUSED, status, round);
    } catch (UncheckedIOException resetRefusedOrTimedOut) {
      return new Outcome(Answer.UNKNOWN, 0, round);
    }
  }

  /**
   * Logged errors of a process, reported with the summary (not failed on: a kill may cut a log
   * line), so that a server erring under the load or after a crash shows. Round {@code ROUNDS + 1}
   * is the last start.
   */
  private void collectServerErrors(KilnProcess kiln, int round) {
    kiln.stderr()
        .lines()
        .filter(line -> line.contains("ERROR") || line.contains("Exception"))
        .limit(5)
        .forEach(line -> serverErrors.add("round " + round + ": " + line));
  }

  // --- the requests ---

  /**
   * Request {@code id}: its contents follow from the seed and the id alone. One attributes object
   * marks a user, one increments the shared counter; one to three events and one or two purchases
   * (quantity one to three) go to users drawn from the few.
   */
  private TrackRequest plan(int id) {
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (id + 1)));
    List<Activity> events =
        IntStream.range(0, random.nextInt(1, 4))
            .mapToObj(i -> new Activity(user(random.nextInt(USERS)), "e_" + id + "_" + i, 1))
            .toList();
    List<Activity> purchases =
        IntStream.range(0, random.nextInt(1, 3))
            .mapToObj(
                i ->
                    new Activity(
                        user(random.nextInt(USERS)), "p_" + id + "_" + i, random.nextInt(1, 4)))
            .toList();
    return new TrackRequest(id, user(random.nextInt(USERS)), events, purchases);
  }

  private static String body(TrackRequest request) {
    String attributes =
        """
        {"external_id":%s,%s:true},{"external_id":%s,%s:{"inc":1}}"""
            .formatted(
                quote(request.attributeUser()),
                quote(request.attribute()),
                quote(COUNTER_USER),
                quote(COUNTER));
    String events =
        request.events().stream()
            .map(
                event ->
                    """
            {"external_id":%s,"name":%s,"time":%s}"""
                        .formatted(quote(event.user()), quote(event.name()), quote(TIME)))
            .collect(Collectors.joining(","));
    String purchases =
        request.purchases().stream()
            .map(
                purchase ->
                    """
            {"external_id":%s,"product_id":%s,"currency":"USD","price":1.25,"quantity":%d,"time":%s}"""
                        .formatted(
                            quote(purchase.user()),
                            quote(purchase.name()),
                            purchase.count(),
                            quote(TIME)))
            .collect(Collectors.joining(","));
    return "{\"attributes\":["
        + attributes
        + "],\"events\":["
        + events
        + "],\"purchases\":["
        + purchases
        + "]}";
  }

  private static String user(int n) {
    return "user-" + n;
  }

  // --- the check ---

  /** The few users and the counter's user, read in one request through the restarted server. */
  private Map<String, JsonNode> exportEveryUser() {
    List<String> ids =
        new ArrayList<>(IntStream.range(0, USERS).mapToObj(ITTrackCrash::user).toList());
    ids.add(COUNTER_USER);
    String idsJson = ids.stream().map(TestJson::quote).collect(Collectors.joining(","));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      Response exported =
          Response.send(
              http,
              HttpRequest.newBuilder(uri("/users/export/ids"))
                  .header("Authorization", "Bearer " + secret)
                  .header("Content-Type", "application/json")
                  .timeout(KilnProcess.BOUND)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          """
              {"external_ids":[%s],"fields_to_export":["external_id","custom_attributes","custom_events","purchases"]}"""
                              .formatted(idsJson)))
                  .build());
      assertThat(exported.status())
          .as("export after the last restart (seed %d): %s", seed, exported)
          .isEqualTo(200);
      Map<String, JsonNode> users = new HashMap<>();
      exported
          .json()
          .path("users")
          .forEach(user -> users.put(user.path("external_id").asText(), user));
      return users;
    } finally {
      http.close();
    }
  }

  /** How much of each request sent the store holds, by request id. */
  private Map<Integer, Found> findEveryRequest(StoredMarkers stored) {
    Map<Integer, Found> found = new TreeMap<>();
    sent.values().forEach(request -> found.put(request.id(), find(request, stored)));
    return found;
  }

  /**
   * Every request is stored as its answer allows, no marker belongs to a request never sent, and
   * the shared counter counts exactly the requests stored. Every violation is listed before the
   * test fails, with the seed.
   */
  private void assertStoredAsAnswered(
      Map<Integer, Found> found, StoredMarkers stored, long counter) {
    List<String> violations = new ArrayList<>();
    long whole =
        found.values().stream().filter(request -> request.presence() == Presence.WHOLE).count();
    if (counter != whole) { // first, so that it shows above any number of requests listed
      violations.add(
          "the shared counter %s is %d, but %d requests are stored whole (a request applied twice, or "
                  .formatted(COUNTER, counter, whole)
              + "an increment stored without the rest of its request)");
    }
    found.forEach(
        (id, request) -> {
          Outcome outcome = outcomes.get(id);
          boolean allowed =
              switch (outcome.answer()) {
                case ACKNOWLEDGED -> request.presence() == Presence.WHOLE;
                case REFUSED -> request.presence() == Presence.NONE;
                case UNKNOWN -> request.presence() != Presence.PARTIAL;
              };
          if (!allowed) {
            violations.add(
                "request %d (round %d, answered %s %d) is stored %s: %s"
                    .formatted(
                        id,
                        outcome.round(),
                        outcome.answer(),
                        outcome.status(),
                        request.presence(),
                        request.details()));
          }
        });
    stored
        .markersOfNoRequest(sent.keySet())
        .forEach(marker -> violations.add("stored marker of no request sent: " + marker));
    assertThat(violations.subList(0, Math.min(violations.size(), VIOLATIONS_SHOWN)))
        .as(
            "crash-safety violations, %d in all, the first %d shown (seed %d; rerun with -Dkiln.test.seed=%d)",
            violations.size(), VIOLATIONS_SHOWN, seed, seed)
        .isEmpty();
  }

  /** Else the test proved nothing: no load got going, or no kill landed on a request in flight. */
  private void assertACrashHitRequestsInFlight() {
    assertThat(count(Answer.ACKNOWLEDGED))
        .as("acknowledged requests (seed %d): the load never got going", seed)
        .isPositive();
    assertThat(count(Answer.UNKNOWN))
        .as(
            "requests in flight when a kill landed (seed %d): no kill hit a request, raise the load or the delays",
            seed)
        .isPositive();
  }

  /**
   * The shared counter as stored: 0 when no request reached it, -1 (never right) when it is not an
   * integer.
   */
  private static long counterOf(Map<String, JsonNode> users) {
    JsonNode counter =
        users
            .getOrDefault(COUNTER_USER, MissingNode.getInstance())
            .path("custom_attributes")
            .path(COUNTER);
    return counter.isMissingNode() ? 0 : counter.isIntegralNumber() ? counter.asLong() : -1;
  }

  /**
   * WHOLE: every object once, with its count, on its user; NONE: no object at all; else PARTIAL,
   * with details.
   */
  private static Found find(TrackRequest request, StoredMarkers stored) {
    List<String> details = new ArrayList<>();
    int whole = 0;
    int none = 0;
    int objects = 1 + request.events().size() + request.purchases().size();
    List<String> attributeFound = stored.attributes().getOrDefault(request.attribute(), List.of());
    if (attributeFound.isEmpty()) {
      none++;
    } else if (attributeFound.equals(List.of(request.attributeUser() + "=true"))) {
      whole++;
    } else {
      details.add(
          request.attribute()
              + " expected on "
              + request.attributeUser()
              + ", found "
              + attributeFound);
    }
    for (Activity event : request.events()) {
      int[] tally = tally(event, stored.events(), details);
      whole += tally[0];
      none += tally[1];
    }
    for (Activity purchase : request.purchases()) {
      int[] tally = tally(purchase, stored.purchases(), details);
      whole += tally[0];
      none += tally[1];
    }
    if (whole == objects) {
      return new Found(Presence.WHOLE, details);
    }
    if (none == objects) {
      return new Found(Presence.NONE, details);
    }
    details.add(whole + " of " + objects + " objects stored whole, " + none + " absent");
    return new Found(Presence.PARTIAL, details);
  }

  /**
   * {whole, absent}: one of them is 1 unless the activity is stored wrongly, which goes to details.
   */
  private static int[] tally(
      Activity activity, Map<String, List<String>> stored, List<String> details) {
    List<String> found = stored.getOrDefault(activity.name(), List.of());
    if (found.isEmpty()) {
      return new int[] {0, 1};
    }
    if (found.equals(List.of(activity.user() + "=" + activity.count()))) {
      return new int[] {1, 0};
    }
    details.add(
        activity.name()
            + " expected "
            + activity.count()
            + " on "
            + activity.user()
            + ", found "
            + found);
    return new int[] {0, 0};
  }

  private long count(Answer answer) {
    return outcomes.values().stream().filter(outcome -> outcome.answer() == answer).count();
  }

  private void printSummary(Backend backend, Map<Integer, Found> found, long started) {
    long unknownStored =
        outcomes.entrySet().stream()
            .filter(entry -> entry.getValue().answer() == Answer.UNKNOWN)
            .filter(entry -> found.get(entry.getKey()).presence() == Presence.WHOLE)
            .count();
    Map<Integer, Long> statuses =
        new TreeMap<>(
            outcomes.values().stream()
                .filter(outcome -> outcome.answer() != Answer.UNKNOWN)
                .collect(Collectors.groupingBy(Outcome::status, Collectors.counting())));
    System.out.printf(
        "ITTrackCrash[%s] seed=%d rounds=%d requests=%d acknowledged=%d unknown=%d unknown-applied=%d "
            + "refused=%d statuses=%s in %d s%n",
        backend,
        seed,
        ROUNDS,
        outcomes.size(),
        count(Answer.ACKNOWLEDGED),
        count(Answer.UNKNOWN),
        unknownStored,
        count(Answer.REFUSED),
        statuses,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    serverErrors.forEach(
        error -> System.out.println("ITTrackCrash[" + backend + "] server log: " + error));
  }

  // --- the servers ---

  /**
   * The settings of every start. On PostgreSQL the database is made once, so every restart finds
   * what the killed process stored; on SQLite the data folder plays that part.
   */
  private Map<String, String> settings(Backend backend) {
    Map<String, String> settings = new HashMap<>();
    settings.put("KILN_HOST", "127.0.0.1");
    settings.put("KILN_API_KEY", secret);
    if (backend == Backend.POSTGRES) {
      settings.put("KILN_STORAGE", "postgres");
      settings.put("KILN_POSTGRES_URL", PostgresTestServer.shared().newDatabase());
    }
    return settings;
  }

  /**
   * Starts the jar on the test's data and waits until it listens. Each start takes a free port of
   * its own: between two rounds another test's process could take the port the killed one left.
   */
  private KilnProcess serve(Path jar, Map<String, String> settings)
      throws IOException, InterruptedException {
    port = KilnProcess.freePort();
    Map<String, String> withPort = new HashMap<>(settings);
    withPort.put("KILN_PORT", Integer.toString(port));
    return KilnProcess.serve(jar, dataDir, workDir, withPort);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /**
   * Where each marker is stored: marker name to the list of "user=value" (attribute) or
   * "user=count" (event or purchase) entries, one per user holding it. A marker stored right has
   * exactly one entry.
   */
  private record StoredMarkers(
      Map<String, List<String>> attributes,
      Map<String, List<String>> events,
      Map<String, List<String>> purchases) {
    static StoredMarkers of(Map<String, JsonNode> users) {
      StoredMarkers stored = new StoredMarkers(new HashMap<>(), new HashMap<>(), new HashMap<>());
      users.forEach(
          (externalId, user) -> {
            user.path("custom_attributes")
                .properties()
                .forEach(
                    attribute -> {
                      if (!attribute.getKey().equals(COUNTER)) {
                        stored
                            .attributes()
                            .computeIfAbsent(attribute.getKey(), name -> new ArrayList<>())
                            .add(externalId + "=" + attribute.getValue());
                      }
                    });
            collect(user.path("custom_events"), externalId, stored.events());
            collect(user.path("purchases"), externalId, stored.purchases());
          });
      return stored;
    }

    private static void collect(
        JsonNode aggregates, String externalId, Map<String, List<String>> into) {
      aggregates.forEach(
          aggregate ->
              into.computeIfAbsent(aggregate.path("name").asText(), name -> new ArrayList<>())
                  .add(externalId + "=" + aggregate.path("count").asText()));
    }

    /** Markers whose request id was never sent: a store inventing or renaming data. */
    List<String> markersOfNoRequest(Set<Integer> sentIds) {
      List<String> stray = new ArrayList<>();
      for (Map<String, List<String>> markers : List.of(attributes, events, purchases)) {
        markers.keySet().stream()
            .filter(marker -> !sentIds.contains(requestId(marker)))
            .forEach(stray::add);
      }
      return stray;
    }

    private static int requestId(String marker) {
      String[] parts = marker.split("_");
      try {
        return Integer.parseInt(parts[1]);
      } catch (RuntimeException notAMarker) {
        return -1;
      }
    }
  }
}
