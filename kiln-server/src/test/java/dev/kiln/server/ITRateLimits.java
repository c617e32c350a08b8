package dev.kiln.server;

import static dev.kiln.server.ErrorBodies.assertErrorMessage;
import static dev.kiln.server.testing.RunningKiln.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kiln.core.auth.Permission;
import dev.kiln.core.ratelimit.RateLimitGroup;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Braze's rate limits (docs/braze-reference.md section 1.5, edge case 35): per key and endpoint
 * group, with {@code X-RateLimit-Limit/Remaining/Reset} on every answer to a known key, errors
 * included, and 429 with {@code Retry-After} over the limit. Small limits set by {@code
 * KILN_RATE_LIMITS} stand in for Braze's large ones; the defaults themselves are checked from the
 * headers. How one node counts a key's requests (remaining, reset, its own limits, its own
 * buckets): RateLimitingTest; here, what needs the running server.
 */
class ITRateLimits {
  private static final String LIMIT = "X-RateLimit-Limit";
  private static final String REMAINING = "X-RateLimit-Remaining";
  private static final String RESET = "X-RateLimit-Reset";

  private static Map<String, String> limits(String pairs) {
    return Map.of("KILN_RATE_LIMITS_ENABLED", "true", "KILN_RATE_LIMITS", pairs);
  }

  private static String track(String externalId) {
    return "{\"attributes\":[{\"external_id\":\"" + externalId + "\",\"plan\":\"pro\"}]}";
  }

  private static Response exportIds(RunningKiln kiln, String secret, String externalId) {
    return kiln.postAs(secret, "/users/export/ids", "{\"external_ids\":[\"" + externalId + "\"]}");
  }

  @RegisterExtension
  static final RunningKiln defaults =
      RunningKiln.perClass(Map.of("KILN_RATE_LIMITS_ENABLED", "true"));

  @TestFactory
  Stream<DynamicTest> everyAnswerToAKnownKeyCarriesItsGroupsBrazeDefaultErrorsIncluded() {
    RunningKiln kiln = defaults;
    String lacking = kiln.createKey("lacking", Set.of(), List.of());
    return kiln.routes().stream()
        .map(
            route ->
                dynamicTest(
                    route.method() + " " + route.path(),
                    () -> {
                      String expected =
                          Long.toString(
                              RateLimitGroup.of(route.permission()).brazeDefault().requests());
                      // {} is a bad body for most endpoints: the 400 carries the headers too.
                      Response answered = kiln.send(route, bearer(kiln.key()));
                      assertRateLimitHeaders(answered, expected);
                      Response denied = kiln.send(route, bearer(lacking));
                      assertThat(denied.status()).as("%s", denied).isEqualTo(403);
                      assertRateLimitHeaders(denied, expected);
                    }));
  }

  @Test
  void theDefaultsAreBrazes() {
    assertThat(defaults.post("/users/track", track("u1")).header(LIMIT))
        .as("3,000 per 3 s (edge case 35)")
        .isEqualTo("3000");
    assertThat(defaults.post("/users/export/ids", "{\"external_ids\":[\"u1\"]}").header(LIMIT))
        .isEqualTo("250");
    assertThat(defaults.get("/segments/list").header(LIMIT)).isEqualTo("250000");
    assertThat(defaults.post("/users/merge", "{\"merge_updates\":[]}").header(LIMIT))
        .as("shared by the five")
        .isEqualTo("20000");
    assertThat(
            defaults.post("/users/external_ids/remove", "{\"external_ids\":[\"x\"]}").header(LIMIT))
        .isEqualTo("1000");
  }

  @Test
  void overTheLimitIs429WithRetryAfterAndChangesNothing() {
    try (RunningKiln kiln = RunningKiln.start(limits("users.track=2/1h"))) {
      kiln.post("/users/track", track("first"));
      kiln.post("/users/track", track("second"));

      Response refused = kiln.post("/users/track", track("third"));

      assertThat(assertErrorMessage(refused, 429)).contains("Rate Limited").contains("users.track");
      assertThat(refused.header(LIMIT)).isEqualTo("2");
      assertThat(refused.header(REMAINING)).isEqualTo("0");
      assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
      assertThat(refused.header("X-RateLimit-Retry-After"))
          .isEqualTo(refused.header("Retry-After"));
      assertThat(exportIds(kiln, kiln.key(), "third").json().get("invalid_user_ids").toString())
          .as("the refused request wrote nothing")
          .isEqualTo("[\"third\"]");
      assertThat(exportIds(kiln, kiln.key(), "second").json().get("users")).hasSize(1);
    }
  }

  @Test
  void aRefusedKeyIsLetThroughAgainOnceItWaitedRetryAfter() throws InterruptedException {
    try (RunningKiln kiln = RunningKiln.start(limits("users.export.ids=2/2s"))) {
      exportIds(kiln, kiln.key(), "u");
      exportIds(kiln, kiln.key(), "u");
      Response refused = exportIds(kiln, kiln.key(), "u");
      assertThat(refused.status()).isEqualTo(429);

      Thread.sleep(Long.parseLong(refused.header("Retry-After")) * 1000);

      assertThat(exportIds(kiln, kiln.key(), "u").status()).isEqualTo(200);
    }
  }

  @Test
  void theEndpointsOfAGroupShareOneBucket() {
    try (RunningKiln kiln = RunningKiln.start(limits("segments.and.exports=3/1h"))) {
      assertThat(kiln.get("/segments/list").header(REMAINING)).isEqualTo("2");
      assertThat(kiln.get("/segments/details?segment_id=none").header(REMAINING)).isEqualTo("1");
      assertThat(kiln.get("/users/export/status?object_prefix=none").header(REMAINING))
          .isEqualTo("0");

      assertThat(kiln.get("/segments/list").status()).isEqualTo(429);
      assertThat(kiln.post("/users/track", track("other-group")).status())
          .as("another group's bucket")
          .isEqualTo(201);
    }
  }

  @Test
  void theFiveUserManagementEndpointsShareBrazesOneBucket() {
    try (RunningKiln kiln =
        RunningKiln.start(limits("users.management=5/1h,users.external_ids=1/1h"))) {
      assertThat(kiln.post("/users/alias/new", "{}").header(REMAINING)).isEqualTo("4");
      assertThat(kiln.post("/users/alias/update", "{}").header(REMAINING)).isEqualTo("3");
      assertThat(kiln.post("/users/identify", "{}").header(REMAINING)).isEqualTo("2");
      assertThat(kiln.post("/users/merge", "{}").header(REMAINING)).isEqualTo("1");
      assertThat(kiln.post("/users/delete", "{}").header(REMAINING)).isEqualTo("0");

      assertThat(kiln.post("/users/delete", "{\"external_ids\":[\"x\"]}").status()).isEqualTo(429);
      assertThat(kiln.post("/users/external_ids/rename", "{}").header(REMAINING))
          .as("their own group")
          .isEqualTo("0");
      assertThat(kiln.post("/users/external_ids/remove", "{}").status())
          .as("rename and remove share it")
          .isEqualTo(429);
    }
  }

  @Test
  void unauthenticatedRequestsCountAgainstNoKeyAndCarryNoHeaders() {
    try (RunningKiln kiln = RunningKiln.start(limits("users.track=1/1h"))) {
      Response anonymous = kiln.postAs(UUID.randomUUID().toString(), "/users/track", track("x"));
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.header(LIMIT)).isNull();
      assertThat(kiln.post("/users/track", track("x")).status())
          .as("the 401 took nothing from any bucket")
          .isEqualTo(201);
    }
  }

  @Test
  void limitsTurnedOffSendNoHeaders() {
    try (RunningKiln kiln =
        RunningKiln.start(
            Map.of("KILN_RATE_LIMITS_ENABLED", "false", "KILN_RATE_LIMITS", "users.track=1/1h"))) {
      List<Response> answers =
          Stream.generate(() -> kiln.post("/users/track", track("off"))).limit(3).toList();
      assertThat(answers).extracting(Response::status).containsOnly(201);
      assertThat(answers).extracting(answer -> answer.header(LIMIT)).containsOnlyNulls();
    }
  }

  /**
   * Two servers on one store, as two nodes. On PostgreSQL they count against the same buckets;
   * SQLite serves one node, and each process counts on its own (docs/security.md).
   */
  @Test
  void nodesOnPostgresqlShareOneLimit() {
    try (RunningKiln first = RunningKiln.start(limits("users.export.ids=4/1h"));
        RunningKiln second =
            RunningKiln.startOn(first.dataDir(), limits("users.export.ids=4/1h"))) {
      String shared = first.createKey("shared", EnumSet.allOf(Permission.class), List.of());
      exportIds(first, shared, "u");
      exportIds(second, shared, "u");
      exportIds(first, shared, "u");
      exportIds(second, shared, "u");

      Response fifth = exportIds(second, shared, "u");

      assertThat(fifth.status()).as("%s", fifth).isEqualTo(RunningKiln.onPostgres() ? 429 : 200);
    }
  }

  private static void assertRateLimitHeaders(Response response, String limit) {
    assertThat(response.status()).as("%s", response).isLessThan(500);
    assertThat(response.header(LIMIT)).as("%s", response).isEqualTo(limit);
    assertThat(response.header(REMAINING)).as("%s", response).matches("\\d+");
    assertThat(Long.parseLong(response.header(RESET)))
        .as("%s", response)
        .isGreaterThan(Instant.now().getEpochSecond() - 1);
  }
}
