package dev.kiln.server.multinode;

import static dev.kiln.server.multinode.TrackBodies.attributes;
import static dev.kiln.server.multinode.TrackBodies.exportIds;
import static dev.kiln.server.multinode.TrackBodies.mergeInto;
import static dev.kiln.server.multinode.TrackBodies.tagAdd;
import static dev.kiln.server.multinode.TrackBodies.visitsAndEvents;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.texts;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.CallbackReceiver;
import dev.kiln.server.testing.FixedBackend;
import dev.kiln.server.testing.KilnProcess;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Kiln processes (the shipped jar) on one PostgreSQL database, called concurrently by clients
 * that spread their requests over all three, are correct together: increments of one user from
 * every node add up, array {@code add}s stay unique and capped, event counts match what was
 * acknowledged, one external_id created through every node at once is one user, merges racing
 * tracks into their target lose nothing, a segment export is worked by exactly one node and called
 * back once, and when that node is killed (SIGKILL) mid-export another node takes the job over
 * after its lease and finishes it, every member exactly once.
 *
 * <p>The same tests run on plain PostgreSQL ({@link ITMultiNodeOnPostgres}) and on a Citus cluster
 * whose coordinator the nodes use ({@link ITMultiNodeOnCitus}): each subclass only chooses the
 * database.
 *
 * <p>The nodes share one data folder. With PostgreSQL the data folder holds only export files (and
 * the key that signs download links): sharing it, as NFS does in production, is how one node serves
 * the download of an export another node wrote, and how a node that takes a job over finds the
 * files written before. The test downloads through nodes other than the one that wrote the export.
 *
 * <p>Each node has a public URL of its own, so a link names the node that made it: the callback's
 * link is that of the node that finished the export (behind a load balancer all would share one).
 *
 * <p>The nodes are started once for the class; the test that kills one starts it again afterwards
 * ({@link #reviveDeadNodes()}), so the tests stay independent. Every test works on users, segments
 * and exports of its own, except that the two export tests export the same cohort, loaded once,
 * through segments and exports of their own.
 */
@FixedBackend("starts its nodes on a database of its own (PostgreSQL or Citus), in every run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ITMultiNode {
  private static final int NODES = 3;
  private static final int CLIENT_THREADS = 12;

  /** Kiln's cap on array attributes (docs/compatibility.md; CustomAttributeOp.MAX_ARRAY_LENGTH). */
  private static final int ARRAY_CAP = 25;

  private static final int USERS_PER_REQUEST =
      75; // Braze's limit of attributes per /users/track request
  private static final int USERS_PER_FILE = 5_000; // docs/exports.md

  /**
   * Eight files. On 2 cores the export takes a few seconds on PostgreSQL and checkpoints its first
   * file after about a third of that: time enough for a SIGKILL to land in the middle.
   */
  private static final int COHORT = 40_000;

  private static final int FILES = (COHORT + USERS_PER_FILE - 1) / USERS_PER_FILE;
  private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration MIDWAY_TIMEOUT = Duration.ofSeconds(60);

  /** The lease, a poll of the survivors (1 s) and slack for a loaded 2-core machine. */
  private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(KilnNode.LEASE_SECONDS + 12);

  /**
   * How long to listen, after a callback, for a second one that must not come (workers poll every 1
   * s).
   */
  private static final Duration QUIET = Duration.ofSeconds(3);

  @TempDir static Path dataDir; // shared by the three nodes
  @TempDir static Path workDir; // the processes' output and config files, and their copy of the jar

  private final List<KilnNode> nodes = new ArrayList<>();
  private Path jar;
  private String cohort; // loaded by the first export test that runs
  private ExecutorService clients;
  private HttpClient http;
  private CallbackReceiver receiver;

  /** A new, empty database for the three nodes; its JDBC URL carries the user and password. */
  protected abstract String newDatabase();

  /** One requested export: its object_prefix and download link. */
  private record Export(String objectPrefix, String url) {}

  /** A node's log line "export P taken by W (state, n files already written, m failed runs)". */
  private record Claim(KilnNode node, String worker, String state, int filesAlreadyWritten) {}

  @BeforeAll
  void startThreeNodesOnOneDatabase() throws Exception {
    assertThat(KilnProcess.JAR)
        .as("the shaded jar (built by `package`, before Failsafe runs)")
        .isRegularFile();
    // The nodes run a minute or more: a copy of their own keeps a `package` run meanwhile from
    // rewriting their jar under them.
    jar = Files.copy(KilnProcess.JAR, workDir.resolve("kiln-server.jar"));
    String databaseUrl = newDatabase();
    for (int i = 0; i < NODES; i++) {
      KilnNode node = new KilnNode(i, jar, dataDir, workDir, databaseUrl);
      nodes.add(node);
      node.start(); // one after another: the first migrates the schema, the others find it migrated
    }
    clients = Executors.newFixedThreadPool(CLIENT_THREADS);
  }

  @AfterAll
  void stopNodes() {
    if (clients != null) {
      clients.shutdownNow();
    }
    nodes.forEach(KilnNode::close);
  }

  @BeforeEach
  void connect() {
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    receiver = CallbackReceiver.start();
  }

  @AfterEach
  void reviveDeadNodes() throws Exception {
    http.close();
    receiver.close();
    for (KilnNode node : nodes) {
      if (!node.alive()) {
        node.start();
      }
    }
  }

  // --- the tests ---

  @Test
  void incrementsOfOneUserSentToEveryNodeAddUpToExactlyTheirNumber() throws Exception {
    String user = uid("visits");
    String increment = "{\"external_id\":%s,\"visits\":{\"inc\":1}}".formatted(quote(user));
    // 300 requests carrying 1, 2 or 3 increments each: 600 increments.
    List<String> bodies =
        IntStream.range(0, 300)
            .mapToObj(i -> attributes(Collections.nCopies(1 + i % 3, increment)))
            .toList();
    int increments = IntStream.range(0, bodies.size()).map(i -> 1 + i % 3).sum();

    assertAllAcknowledged(postConcurrently("/users/track", bodies), "increments");

    for (KilnNode node : nodes) {
      JsonNode visits =
          exportedUser(node, user, "custom_attributes").path("custom_attributes").path("visits");
      assertThat(visits.toString())
          .as("visits read on %s", node)
          .isEqualTo(Integer.toString(increments));
    }
  }

  @Test
  void arrayAddsFromEveryNodeKeepTheArrayUniqueAndWithinItsCap() throws Exception {
    String user = uid("tags");
    int distinct = 20; // below the cap; six copies of each value, sent to all three nodes
    assertAllAcknowledged(postConcurrently("/users/track", tagAdds(user, distinct, 6)), "tag adds");
    for (KilnNode node : nodes) {
      assertThat(tags(node, user))
          .as("tags read on %s", node)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(tagValues(distinct));
    }

    String capped = uid("capped");
    int overCap = 40; // more than the cap; three copies of each value, one to each node
    assertAllAcknowledged(
        postConcurrently("/users/track", tagAdds(capped, overCap, 3)), "tag adds over the cap");
    List<String> full = tags(nodes.getFirst(), capped);
    assertThat(full)
        .as("tags of a user sent %d distinct values", overCap)
        .hasSize(ARRAY_CAP)
        .doesNotHaveDuplicates()
        .isSubsetOf(tagValues(overCap));
    for (KilnNode node : nodes) {
      assertThat(tags(node, capped)).as("tags read on %s", node).isEqualTo(full);
    }

    // One more value into the full array: the oldest goes, the new one is last.
    Response added = post(nodes.get(1), "/users/track", tagAdd(capped, "newest"));
    assertThat(added.status()).as("one more tag: %s", added).isEqualTo(201);
    List<String> expected = new ArrayList<>(full.subList(1, ARRAY_CAP));
    expected.add("newest");
    assertThat(tags(nodes.get(2), capped))
        .as("tags after one more add to the full array")
        .isEqualTo(expected);
  }

  @Test
  void eventCountsMatchTheEventsAcknowledgedByEveryNode() throws Exception {
    String user = uid("player");
    String event =
        uid("played"); // of this test alone, so the segment below can only hold this user
    // 150 requests carrying 1 to 4 events each.
    List<Integer> perRequest = IntStream.range(0, 150).map(i -> 1 + i % 4).boxed().toList();
    List<String> bodies = perRequest.stream().map(n -> visitsAndEvents(user, event, 0, n)).toList();

    List<Response> responses = postConcurrently("/users/track", bodies);
    int acknowledged =
        IntStream.range(0, responses.size())
            .filter(i -> responses.get(i).status() == 201)
            .map(perRequest::get)
            .sum();
    assertThat(acknowledged).as("events acknowledged with 201").isPositive();

    for (KilnNode node : nodes) {
      JsonNode events = exportedUser(node, user, "custom_events").path("custom_events");
      assertThat(events).as("custom_events read on %s", node).hasSize(1);
      assertThat(events.get(0).path("name").asText())
          .as("event name read on %s", node)
          .isEqualTo(event);
      assertThat(events.get(0).path("count").asLong())
          .as("count of %s read on %s: %s", event, node, events)
          .isEqualTo(acknowledged);
    }

    String segment =
        createSegment(
            nodes.get(1),
            """
        {"custom_event":%s,"op":"count_equals","value":%d}"""
                .formatted(quote(event), acknowledged));
    assertSegmentSizeOnEveryNode(
        segment, 1, "users who did %s exactly %d times".formatted(event, acknowledged));
  }

  @Test
  void oneExternalIdCreatedThroughEveryNodeAtOnceIsOneUser() throws Exception {
    for (int round = 0; round < 5; round++) {
      String user = uid("created");
      // Twelve first writes of one new external_id at the same time, four through each node.
      List<String> bodies =
          IntStream.range(0, 12)
              .mapToObj(
                  i ->
                      attributes(
                          List.of(
                              "{\"external_id\":%s,\"first_name\":\"Writer %d\"}"
                                  .formatted(quote(user), i))))
              .toList();
      assertAllAcknowledged(postConcurrently("/users/track", bodies), "creations of " + user);

      for (KilnNode node : nodes) {
        exportedUser(node, user, "first_name"); // exactly one user, read on every node
      }
      String segment =
          createSegment(
              nodes.get(round % NODES),
              """
          {"attribute":"external_id","op":"equals","value":%s}"""
                  .formatted(quote(user)));
      assertSegmentSizeOnEveryNode(segment, 1, "users with external_id " + user);
    }
  }

  @Test
  void mergesRacingTracksIntoTheirTargetLoseNothing() throws Exception {
    String kept = uid("kept");
    String event = uid("bought");
    int eventsPerMerged = 3;
    List<String> merged = IntStream.range(0, 12).mapToObj(i -> uid("merged")).toList();
    // The merged users have events of their own (counts add up in a merge) and no visits, so the
    // kept user's visits count only the increments sent to it.
    List<String> setup = new ArrayList<>(List.of(visitsAndEvents(kept, event, 1, 0)));
    merged.forEach(user -> setup.add(visitsAndEvents(user, event, 0, eventsPerMerged)));
    assertAllAcknowledged(postConcurrently("/users/track", setup), "the users to merge");

    // One increment and one event at a time to the kept user, the merges in between.
    int tracks = 150;
    List<Request> race = new ArrayList<>();
    int spacing = tracks / merged.size();
    for (int i = 0; i < tracks; i++) {
      race.add(new Request("/users/track", visitsAndEvents(kept, event, 1, 1)));
      if (i % spacing == spacing / 2 && i / spacing < merged.size()) {
        race.add(new Request("/users/merge", mergeInto(kept, merged.get(i / spacing))));
      }
    }
    List<Response> answers = postConcurrently(race);
    for (int i = 0; i < race.size(); i++) {
      int expected = race.get(i).path().equals("/users/merge") ? 202 : 201;
      assertThat(answers.get(i).status())
          .as("%s answered on %s: %s", race.get(i).path(), nodes.get(i % NODES), answers.get(i))
          .isEqualTo(expected);
    }

    for (KilnNode node : nodes) {
      JsonNode user = exportedUser(node, kept, "custom_attributes", "custom_events");
      assertThat(user.path("custom_attributes").path("visits").asLong())
          .as("visits of the kept user read on %s", node)
          .isEqualTo(1 + tracks);
      assertThat(user.path("custom_events").findValuesAsText("count"))
          .as("count of %s of the kept user read on %s: %s", event, node, user)
          .containsExactly(Integer.toString(tracks + merged.size() * eventsPerMerged));
    }
    Response gone = post(nodes.get(2), "/users/export/ids", exportIds(merged, "external_id"));
    assertThat(gone.json().path("users")).as("merged users still there: %s", gone).isEmpty();
  }

  @Test
  void aSegmentExportRunsOnExactlyOneNodeAndCallsBackOnce() throws Exception {
    Export export = requestExport(nodes.getFirst(), cohort());

    awaitSucceededAndCalledBack(nodes.getFirst(), export);
    assertOneCallback();
    for (KilnNode node : nodes) {
      assertSucceeded(status(node, export), node);
    }

    Claim claim =
        onlyElement(claims(export), "nodes that logged taking export " + export.objectPrefix());
    assertThat(claim.filesAlreadyWritten())
        .as("files already written when %s took the job", claim.node())
        .isZero();
    assertCalledBackWithLinkOf(claim.node(), export);
    // the link works through every node, also those that did not write the files
    for (KilnNode node : nodes) {
      assertEveryMemberOnce(download(node, export), node);
    }
  }

  @Test
  void killingTheNodeThatRunsAnExportLetsAnotherNodeFinishIt() throws Exception {
    Export export = requestExport(nodes.get(1), cohort());
    awaitFirstFileWhileRunning(export);

    Claim first =
        onlyElement(claims(export), "nodes that logged taking export " + export.objectPrefix());
    KilnNode worker = first.node();
    assertThat(worker.kill())
        .as("exit code of %s killed by SIGKILL", worker)
        .isEqualTo(KilnProcess.EXIT_SIGKILL);
    assertThat(dataDir.resolve("exports").resolve(export.objectPrefix()).resolve("export.zip"))
        .as("the export ended before it could be interrupted (raise COHORT so that it runs longer)")
        .doesNotExist();
    assertThat(receiver.received()).as("callbacks before the kill").isEmpty();

    Claim successor = awaitTakeover(export, worker);
    assertThat(successor.state())
        .as("state of the job the successor took: %s", successor)
        .isEqualTo("running");
    assertThat(successor.filesAlreadyWritten())
        .as("files already written when %s took the job over", successor.node())
        .isPositive();

    KilnNode survivor = successor.node();
    JsonNode status = awaitSucceededAndCalledBack(survivor, export);
    assertSucceeded(status, survivor);
    assertOneCallback();
    assertCalledBackWithLinkOf(survivor, export);
    assertThat(claims(export))
        .as(
            "nodes that logged taking export %s: the killed one, then its successor",
            export.objectPrefix())
        .containsExactlyInAnyOrder(first, successor);
    for (KilnNode node : nodes) {
      if (node.alive()) {
        assertEveryMemberOnce(download(node, export), node);
      }
    }
  }

  // --- tracking ---

  /**
   * One request per add: {@code copies} rounds of {@code distinct} values. Request i goes to node i
   * % 3, and with {@code distinct} not a multiple of 3 the copies of each value go to different
   * nodes.
   */
  private static List<String> tagAdds(String user, int distinct, int copies) {
    assertThat(distinct % NODES).as("copies of a value must reach different nodes").isNotZero();
    List<String> bodies = new ArrayList<>();
    for (int copy = 0; copy < copies; copy++) {
      tagValues(distinct).forEach(tag -> bodies.add(tagAdd(user, tag)));
    }
    return bodies;
  }

  private static List<String> tagValues(int distinct) {
    return IntStream.range(0, distinct).mapToObj(n -> "t" + n).toList();
  }

  private List<String> tags(KilnNode node, String user) {
    JsonNode tags =
        exportedUser(node, user, "custom_attributes").path("custom_attributes").path("tags");
    assertThat(tags.isArray()).as("tags of %s read on %s: %s", user, node, tags).isTrue();
    return texts(tags);
  }

  /** The one user of this external_id, read on {@code node}. */
  private JsonNode exportedUser(KilnNode node, String externalId, String... fields) {
    Response exported = post(node, "/users/export/ids", exportIds(List.of(externalId), fields));
    assertThat(exported.status())
        .as("export of %s on %s: %s", externalId, node, exported)
        .isEqualTo(200);
    assertThat(exported.json().path("users"))
        .as("users exported on %s: %s", node, exported)
        .hasSize(1);
    return exported.json().path("users").get(0);
  }

  /**
   * The users both export tests export, each through a segment and an export of its own: COHORT
   * users with the attribute cohort = an id of their own, tracked a request per 75 the first time
   * they are needed, so that either test runs alone and the two load them once together.
   */
  private String cohort() throws Exception {
    if (cohort == null) {
      String id = uid("cohort");
      List<String> bodies = new ArrayList<>();
      for (int first = 0; first < COHORT; first += USERS_PER_REQUEST) {
        bodies.add(
            attributes(
                IntStream.range(first, Math.min(first + USERS_PER_REQUEST, COHORT))
                    .mapToObj(
                        n ->
                            "{\"external_id\":%s,\"first_name\":\"User %d\",\"cohort\":%s}"
                                .formatted(quote(member(id, n)), n, quote(id)))
                    .toList()));
      }
      assertAllAcknowledged(postConcurrently("/users/track", bodies), "cohort " + id);
      cohort = id;
    }
    return cohort;
  }

  private static String member(String cohort, int n) {
    return cohort + "-" + n;
  }

  /**
   * Every request answered 201; else the other answers, counted by node and answer, and the nodes'
   * logs.
   */
  private void assertAllAcknowledged(List<Response> responses, String what) {
    Map<String, Long> others =
        IntStream.range(0, responses.size())
            .filter(i -> responses.get(i).status() != 201)
            .boxed()
            .collect(
                Collectors.groupingBy(
                    i ->
                        nodes.get(i % NODES)
                            + " answered "
                            + responses.get(i).status()
                            + " "
                            + responses.get(i).body(),
                    TreeMap::new,
                    Collectors.counting()));
    assertThat(others)
        .as(
            () ->
                "requests of %s (of %d) not answered 201; logs:%n%s"
                    .formatted(what, responses.size(), logTails()))
        .isEmpty();
  }

  private String logTails() {
    return nodes.stream()
        .map(node -> "--- " + node + ":\n" + node.logTail(40))
        .collect(Collectors.joining("\n"));
  }

  // --- segments and exports ---

  private String createSegment(KilnNode node, String filter) {
    Response created =
        post(
            node,
            "/segments/create",
            "{\"name\":%s,\"filter\":%s}".formatted(quote(uid("segment")), filter));
    assertThat(created.status()).as("creating a segment on %s: %s", node, created).isEqualTo(201);
    return created.json().path("segment_id").asText();
  }

  private void assertSegmentSizeOnEveryNode(String segment, long expected, String what) {
    for (KilnNode node : nodes) {
      Response size = get(node, "/segments/size?segment_id=" + segment);
      assertThat(size.status()).as("segment size on %s: %s", node, size).isEqualTo(200);
      assertThat(size.json().path("size").asLong())
          .as("%s, counted on %s", what, node)
          .isEqualTo(expected);
    }
  }

  private Export requestExport(KilnNode node, String cohort) {
    String segment =
        createSegment(
            node,
            """
        {"custom_attribute":"cohort","op":"equals","value":%s}"""
                .formatted(quote(cohort)));
    Response requested =
        post(
            node,
            "/users/export/segment",
            """
        {"segment_id":%s,"fields_to_export":["external_id","first_name"],"output_format":"zip","callback_endpoint":%s}"""
                .formatted(quote(segment), quote(receiver.url())));
    assertThat(requested.status()).as("export request on %s: %s", node, requested).isEqualTo(201);
    return new Export(
        requested.json().path("object_prefix").asText(), requested.json().path("url").asText());
  }

  /** Waits until the export has checkpointed a file and is still writing, as ITExportCrash does. */
  private void awaitFirstFileWhileRunning(Export export) throws InterruptedException {
    long deadline = System.nanoTime() + MIDWAY_TIMEOUT.toNanos();
    for (int poll = 0; System.nanoTime() < deadline; poll++) {
      JsonNode status = status(nodes.get(poll % NODES), export);
      String state = status.path("state").asText();
      if (state.equals("succeeded") || state.equals("failed")) {
        throw new AssertionError(
            "the export ended before it could be interrupted (raise COHORT so that it "
                + "runs longer): "
                + status);
      }
      if (state.equals("running") && status.path("files_written").asInt() >= 1) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(
        "the export wrote no file within "
            + MIDWAY_TIMEOUT
            + ": "
            + status(nodes.getFirst(), export));
  }

  /** Waits until a node other than {@code killed} logs that it took the export. */
  private Claim awaitTakeover(Export export, KilnNode killed) throws InterruptedException {
    long deadline = System.nanoTime() + TAKEOVER_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<Claim> others = claims(export).stream().filter(claim -> claim.node() != killed).toList();
      if (!others.isEmpty()) {
        return onlyElement(others, "surviving nodes that took export " + export.objectPrefix());
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no surviving node took export "
            + export.objectPrefix()
            + " within "
            + TAKEOVER_TIMEOUT
            + " of the kill: "
            + status(nodes.stream().filter(KilnNode::alive).findFirst().orElseThrow(), export)
            + "\nlogs:\n"
            + logTails());
  }

  private JsonNode awaitSucceededAndCalledBack(KilnNode node, Export export)
      throws InterruptedException {
    long deadline = System.nanoTime() + FINISH_TIMEOUT.toNanos();
    JsonNode status = status(node, export);
    while (System.nanoTime() < deadline) {
      status = status(node, export);
      if (status.path("state").asText().equals("failed")
          || status.path("callback").asText().equals("failed")) {
        throw new AssertionError("the export failed: " + status + "\nlogs:\n" + logTails());
      }
      if (status.path("state").asText().equals("succeeded")
          && status.path("callback").asText().equals("sent")) {
        return status;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "the export did not succeed and call back within "
            + FINISH_TIMEOUT
            + ": "
            + status
            + "\nlogs:\n"
            + logTails());
  }

  private static void assertSucceeded(JsonNode status, KilnNode node) {
    assertThat(status.path("state").asText())
        .as("state on %s: %s", node, status)
        .isEqualTo("succeeded");
    assertThat(status.path("users_written").asLong())
        .as("users_written on %s: %s", node, status)
        .isEqualTo(COHORT);
    assertThat(status.path("files_written").asInt())
        .as("files_written on %s: %s", node, status)
        .isEqualTo(FILES);
    assertThat(status.path("callback").asText())
        .as("callback on %s: %s", node, status)
        .isEqualTo("sent");
  }

  /**
   * Exactly one callback: after the first, listens {@link #QUIET} for a second (a node that worked
   * the job again would send one). Waiting is the only way to see that something does not come.
   */
  private void assertOneCallback() throws InterruptedException {
    Thread.sleep(QUIET.toMillis());
    assertThat(receiver.received()).as("callbacks received, %s after the first", QUIET).hasSize(1);
  }

  /**
   * The one callback says success, with the link of the ready export (as its status gives it) on
   * the public URL of the node that finished the export.
   */
  private void assertCalledBackWithLinkOf(KilnNode finisher, Export export) {
    String readyLink = status(finisher, export).path("url").asText();
    assertThat(readyLink)
        .as("the link of the ready export")
        .startsWith(
            finisher.uri("/users/export/download/" + export.objectPrefix() + "?").toString());
    assertThat(json(receiver.received().getFirst()))
        .as("the callback of an export finished by %s", finisher)
        .isEqualTo(json("{\"success\":true,\"url\":" + quote(readyLink) + "}"));
  }

  /** Every node's log lines saying it took this export, in node order. */
  private List<Claim> claims(Export export) {
    Pattern taken =
        Pattern.compile(
            "export "
                + Pattern.quote(export.objectPrefix())
                + " taken by (export-[0-9a-f-]{36}) \\((\\w+), (\\d+) files already written, \\d+ failed runs\\)");
    List<Claim> claims = new ArrayList<>();
    for (KilnNode node : nodes) {
      Matcher line = taken.matcher(node.log());
      while (line.find()) {
        claims.add(new Claim(node, line.group(1), line.group(2), Integer.parseInt(line.group(3))));
      }
    }
    return claims;
  }

  private static <T> T onlyElement(List<T> list, String what) {
    assertThat(list).as(what).hasSize(1);
    return list.getFirst();
  }

  // --- downloads ---

  /**
   * The export's link as {@code node} gives it: the same path and signature, on that node's public
   * URL (each node here has its own; behind a load balancer they would share one).
   */
  private static URI linkVia(KilnNode node, Export export) {
    int path = export.url().indexOf("/users/export/download/");
    assertThat(path).as("download link %s", export.url()).isPositive();
    return node.uri(export.url().substring(path));
  }

  private HttpResponse<byte[]> download(KilnNode node, Export export)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(linkVia(node, export)).timeout(KilnProcess.BOUND).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private void assertEveryMemberOnce(HttpResponse<byte[]> download, KilnNode node)
      throws IOException {
    List<String> members = IntStream.range(0, COHORT).mapToObj(n -> member(cohort, n)).toList();
    ExportBundle.assertEveryMemberOnce(download, node, members, FILES);
  }

  // --- HTTP ---

  /** One request to post: its path and JSON body. */
  private record Request(String path, String body) {}

  /** Posts the bodies to one path, as {@link #postConcurrently(List)} does. */
  private List<Response> postConcurrently(String path, List<String> bodies) throws Exception {
    return postConcurrently(bodies.stream().map(body -> new Request(path, body)).toList());
  }

  /**
   * Sends the requests concurrently from the client threads, request i to node i % 3; answers in
   * order.
   */
  private List<Response> postConcurrently(List<Request> toSend) throws Exception {
    List<Callable<Response>> requests =
        IntStream.range(0, toSend.size())
            .mapToObj(
                i ->
                    (Callable<Response>)
                        () ->
                            post(nodes.get(i % NODES), toSend.get(i).path(), toSend.get(i).body()))
            .toList();
    List<Response> responses = new ArrayList<>();
    for (Future<Response> response : clients.invokeAll(requests)) {
      responses.add(response.get());
    }
    return responses;
  }

  private JsonNode status(KilnNode node, Export export) {
    Response status = get(node, "/users/export/status?object_prefix=" + export.objectPrefix());
    assertThat(status.status()).as("export status on %s: %s", node, status).isEqualTo(200);
    return status.json();
  }

  private Response post(KilnNode node, String path, String json) {
    return send(
        HttpRequest.newBuilder(node.uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private Response get(KilnNode node, String pathAndQuery) {
    return send(HttpRequest.newBuilder(node.uri(pathAndQuery)).GET());
  }

  private Response send(HttpRequest.Builder request) {
    return Response.send(
        http,
        request
            .header("Authorization", "Bearer " + KilnNode.SECRET)
            .timeout(KilnProcess.BOUND)
            .build());
  }
}
