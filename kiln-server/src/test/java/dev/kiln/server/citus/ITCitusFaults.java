package dev.kiln.server.citus;

import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.citus.IncrementLoad.Answer;
import dev.kiln.server.testing.CitusPlacements;
import dev.kiln.server.testing.FixedBackend;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import dev.kiln.server.testing.TestJson;
import dev.kiln.storage.postgres.CitusTestCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kiln on a Citus cluster whose workers fail or move shards while clients write: it answers only
 * 201 or 503 (with Retry-After, in Braze's shape), keeps serving the users whose rows are on the
 * healthy worker, loses no acknowledged increment, and takes writes again once the worker is back,
 * without a restart (docs/scaling.md).
 *
 * <p>The cluster is this class's own: a stopped worker would fail the suites that share one.
 */
@FixedBackend("runs Kiln on a Citus cluster of its own, whose workers it stops and shards it moves")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ITCitusFaults {
  /** Over 32 shards on two workers: users with every row on one worker, and others. */
  private static final int USERS = 48;

  private static final int CLIENTS = 6;
  private static final long OUTAGE_MILLIS = 5_000;

  /** How long the load runs before and after a fault, so that both sides have answers. */
  private static final long STEADY_MILLIS = 1_500;

  /**
   * Bound on the return to 201 for every user once the worker is back. A two-phase commit the crash
   * caught between PREPARE and COMMIT PREPARED stays prepared on the worker, holding its users' row
   * locks, until the coordinator's recovery resolves it, every {@code citus.recover_2pc_interval}
   * (60 s by default); meanwhile writes to those users wait, and with them the node's one group
   * commit (docs/scaling.md, "When a worker is down").
   */
  private static final long RECOVERY_MILLIS = 90_000;

  private CitusTestCluster cluster;
  private CitusPlacements placements;
  private RunningKiln kiln;

  @BeforeAll
  void startKilnOnAClusterOfItsOwn() {
    cluster = CitusTestCluster.startPrivate();
    String url = cluster.newDatabase();
    placements = new CitusPlacements(url);
    kiln = RunningKiln.start(Map.of("KILN_STORAGE", "postgres", "KILN_POSTGRES_URL", url));
  }

  @AfterAll
  void stopKiln() {
    if (kiln != null) {
      kiln.close();
    }
  }

  @Test
  void aWorkerStoppedUnderLoadFailsOnlyItsUsersAndLosesNothing() throws Exception {
    List<String> users = createUsers("outage");
    String healthy = cluster.workers().getFirst();
    List<String> onHealthyOnly =
        users.stream().filter(u -> placements.workersOfUser(u).equals(Set.of(healthy))).toList();
    assertThat(onHealthyOnly)
        .as("users with their users row and external_id row on %s", healthy)
        .isNotEmpty()
        .hasSizeLessThan(users.size());

    IncrementLoad load = IncrementLoad.start(kiln, users, CLIENTS);
    long outageStart;
    long outageEnd;
    Thread.sleep(STEADY_MILLIS);
    cluster.stopWorker(2);
    try {
      outageStart = System.nanoTime();
      Thread.sleep(OUTAGE_MILLIS);
    } finally {
      outageEnd = System.nanoTime();
      cluster.startWorker(2); // the cluster as it was, whatever happened
    }
    boolean recovered =
        load.awaitAnswers(
            answers -> everyUserAcknowledgedAfter(answers, users, outageEnd), RECOVERY_MILLIS);
    List<Answer> answers = load.stop();

    assertOnly201Or503(answers);
    List<Answer> duringOutage =
        answers.stream()
            .filter(a -> a.sentNanos() > outageStart && a.answeredNanos() < outageEnd)
            .toList();
    assertThat(duringOutage)
        .as("answers during the outage to users on the stopped worker")
        .filteredOn(a -> !onHealthyOnly.contains(a.user()))
        .extracting(Answer::status)
        .contains(503);
    assertThat(duringOutage)
        .as("answers during the outage to users whose rows are all on %s", healthy)
        .filteredOn(a -> onHealthyOnly.contains(a.user()))
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a.status()).as("answer to %s", a.user()).isEqualTo(201));
    assertThat(recovered)
        .as(
            "every user answered 201 within %d ms of the worker's return, without restarting Kiln",
            RECOVERY_MILLIS)
        .isTrue();
    assertExactTotals(users, answers);
  }

  @ParameterizedTest
  @ValueSource(strings = {"block_writes", "force_logical", "auto"})
  void aShardGroupMovedUnderLoadLosesNothing(String transferMode) throws Exception {
    List<String> users = createUsers("move-" + transferMode.replace('_', '-'));
    long shard = placements.usersShardOf(users.getFirst());
    String from = onlyElement(placements.workersOfShard(shard));
    String to = cluster.workers().stream().filter(w -> !w.equals(from)).findFirst().orElseThrow();

    IncrementLoad load = IncrementLoad.start(kiln, users, CLIENTS);
    Thread.sleep(STEADY_MILLIS);
    placements.moveShard(shard, from, to, transferMode);
    long moved = System.nanoTime();
    boolean continued =
        load.awaitAnswers(
            answers -> everyUserAcknowledgedAfter(answers, users, moved), RECOVERY_MILLIS);
    List<Answer> answers = load.stop();

    assertThat(placements.workersOfShard(shard))
        .as("workers of users shard %d after its move from %s", shard, from)
        .containsExactly(to);
    assertOnly201Or503(answers);
    assertThat(continued).as("every user answered 201 after the move").isTrue();
    assertExactTotals(users, answers);
  }

  /** Tracks USERS new users, one request, and returns their external_ids. */
  private List<String> createUsers(String prefix) {
    String run = TestJson.uid(prefix);
    List<String> users = IntStream.range(0, USERS).mapToObj(n -> run + "-" + n).toList();
    String body =
        users.stream()
            .map(u -> "{\"external_id\":%s,\"first_name\":\"Load\"}".formatted(quote(u)))
            .collect(Collectors.joining(",", "{\"attributes\":[", "]}"));
    Response created = kiln.post("/users/track", body);
    assertThat(created.status()).as("creating the users: %s", created).isEqualTo(201);
    return users;
  }

  private static boolean everyUserAcknowledgedAfter(
      List<Answer> answers, List<String> users, long nanos) {
    Set<String> acknowledged =
        answers.stream()
            .filter(a -> a.status() == 201 && a.sentNanos() > nanos)
            .map(Answer::user)
            .collect(Collectors.toSet());
    return acknowledged.containsAll(users);
  }

  /**
   * Every answer is 201, or 503 in Braze's shape ({@code {"message": ...}} and nothing else) with a
   * Retry-After; counted by answer when not.
   */
  private static void assertOnly201Or503(List<Answer> answers) {
    Map<String, Long> others =
        answers.stream()
            .filter(a -> a.status() != 201 && !isRetryable503(a.response()))
            .collect(
                Collectors.groupingBy(
                    a ->
                        a.status()
                            + " Retry-After: "
                            + a.response().header("Retry-After")
                            + " "
                            + a.response().body(),
                    TreeMap::new,
                    Collectors.counting()));
    assertThat(others)
        .as("answers neither 201 nor a 503 to retry (of %d)", answers.size())
        .isEmpty();
  }

  private static boolean isRetryable503(Response response) {
    if (response.status() != 503 || !"5".equals(response.header("Retry-After"))) {
      return false;
    }
    JsonNode body = response.json();
    return body.size() == 1 && body.path("message").isTextual();
  }

  /** Each user's visits, read back, are the increments acknowledged with 201: no more, no less. */
  private void assertExactTotals(List<String> users, List<Answer> answers) {
    Map<String, Long> expected = new TreeMap<>(IncrementLoad.acknowledged(answers));
    Response exported =
        kiln.post(
            "/users/export/ids",
            "{\"external_ids\":[%s],\"fields_to_export\":[\"external_id\",\"custom_attributes\"]}"
                .formatted(users.stream().map(TestJson::quote).collect(Collectors.joining(","))));
    assertThat(exported.status()).as("export of the users: %s", exported).isEqualTo(200);
    Map<String, Long> visits = new HashMap<>();
    for (JsonNode user : exported.json().path("users")) {
      visits.put(
          user.path("external_id").asText(),
          user.path("custom_attributes").path("visits").asLong());
    }
    assertThat(new TreeMap<>(visits))
        .as("visits per user against the increments acknowledged")
        .isEqualTo(expected);
  }

  private static String onlyElement(Set<String> workers) {
    assertThat(workers).as("workers of one shard").hasSize(1);
    return workers.iterator().next();
  }
}
