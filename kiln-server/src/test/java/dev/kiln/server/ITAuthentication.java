package dev.kiln.server;

import static dev.kiln.server.ErrorBodies.assertExactError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.Permission;
import dev.kiln.server.http.ApiRoute;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import io.javalin.http.HandlerType;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Braze's API-key rules (docs/braze-reference.md sections 1.1-1.4, compatibility.md
 * "Cross-cutting") over every API route Kiln serves: a missing, unknown or revoked key is 401
 * {"message":"Invalid API Key"}; a key without the route's permission, or used from outside its IP
 * allowlist, is 403 {"message":"Access Denied"}. How the secret is read from the header, and each
 * refusal's reason: ApiKeyAuthenticatorTest; here, that every route is guarded and that the legacy
 * keys are read from a real query string and body.
 */
class ITAuthentication {
  private static final String INVALID_API_KEY = "Invalid API Key";
  private static final String ACCESS_DENIED = "Access Denied";

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  @Test
  void kilnServesApiRoutes() {
    assertThat(routes()).as("the API endpoints the running server guards").isNotEmpty();
  }

  @Test
  void theUserEndpointsRequireBrazesPermissionNames() {
    assertThat(routes())
        .extracting(
            route ->
                route.method().name()
                    + " "
                    + route.path()
                    + " -> "
                    + route.permission().permissionName())
        .contains(
            "POST /users/track -> users.track",
            "POST /users/track/sync -> users.track.sync",
            "POST /users/export/ids -> users.export.ids",
            "POST /users/alias/new -> users.alias.new",
            "POST /users/alias/update -> users.alias.update",
            "POST /users/identify -> users.identify",
            "POST /users/merge -> users.merge",
            "POST /users/delete -> users.delete",
            "POST /users/external_ids/rename -> users.external_ids.rename",
            "POST /users/external_ids/remove -> users.external_ids.remove",
            "POST /users/export/segment -> users.export.segment",
            "GET /users/export/status -> users.export.segment",
            "POST /users/export/cancel -> users.export.segment");
  }

  @TestFactory
  Stream<DynamicNode> everyApiRouteChecksTheKeyItsPermissionAndItsIpAllowlist() {
    return routes().stream()
        .map(
            route ->
                dynamicContainer(
                    route.method().name() + " " + route.path(),
                    Stream.of(
                        dynamicTest(
                            "no key: 401 Invalid API Key",
                            () ->
                                assertExactError(
                                    send(route, request -> request), 401, INVALID_API_KEY)),
                        dynamicTest(
                            "unknown key: 401 Invalid API Key",
                            () ->
                                assertExactError(
                                    send(route, RunningKiln.bearer(ApiKeySecrets.generate())),
                                    401,
                                    INVALID_API_KEY)),
                        dynamicTest(
                            "revoked key: 401 Invalid API Key",
                            () -> {
                              String name = uniqueName("revoked");
                              String secret =
                                  kiln.createKey(name, EnumSet.allOf(Permission.class), List.of());
                              assertThat(kiln.storage().apiKeys().revoke(name)).isTrue();
                              assertExactError(
                                  send(route, RunningKiln.bearer(secret)), 401, INVALID_API_KEY);
                            }),
                        dynamicTest(
                            "key with every permission but "
                                + route.permission()
                                + ": 403 Access Denied",
                            () -> {
                              EnumSet<Permission> allBut = EnumSet.allOf(Permission.class);
                              allBut.remove(route.permission());
                              String secret =
                                  kiln.createKey(uniqueName("lacking"), allBut, List.of());
                              assertExactError(
                                  send(route, RunningKiln.bearer(secret)), 403, ACCESS_DENIED);
                            }),
                        dynamicTest(
                            "key whose IP allowlist excludes 127.0.0.1: 403 Access Denied",
                            () -> {
                              String secret =
                                  kiln.createKey(
                                      uniqueName("elsewhere"),
                                      EnumSet.allOf(Permission.class),
                                      List.of("10.0.0.0/8"));
                              assertExactError(
                                  send(route, RunningKiln.bearer(secret)), 403, ACCESS_DENIED);
                            }),
                        dynamicTest(
                            "key with only "
                                + route.permission()
                                + ", allowlisted 127.0.0.1/32: let through",
                            () -> {
                              String secret =
                                  kiln.createKey(
                                      uniqueName("allowed"),
                                      Set.of(route.permission()),
                                      List.of("127.0.0.1/32"));
                              assertPassesAuthentication(send(route, RunningKiln.bearer(secret)));
                            }))));
  }

  /** HEAD is GET without the body (RFC 9110, 9.3.2): the same checks, the same status. */
  @TestFactory
  Stream<DynamicNode> headOnEveryGetRouteChecksTheKeyAndPermissionAsGetDoes() {
    return routes().stream()
        .filter(route -> route.method().equals(HandlerType.GET))
        .map(
            route ->
                dynamicContainer(
                    "HEAD " + route.path(),
                    Stream.of(
                        dynamicTest(
                            "no key: 401",
                            () -> assertThat(head(route, request -> request)).isEqualTo(401)),
                        dynamicTest(
                            "unknown key: 401",
                            () ->
                                assertThat(
                                        head(route, RunningKiln.bearer(ApiKeySecrets.generate())))
                                    .isEqualTo(401)),
                        dynamicTest(
                            "key without " + route.permission() + ": 403",
                            () -> {
                              EnumSet<Permission> allBut = EnumSet.allOf(Permission.class);
                              allBut.remove(route.permission());
                              assertThat(
                                      head(
                                          route,
                                          RunningKiln.bearer(
                                              kiln.createKey(
                                                  uniqueName("lacking"), allBut, List.of()))))
                                  .isEqualTo(403);
                            }),
                        dynamicTest(
                            "key with every permission: the status GET answers",
                            () ->
                                assertThat(head(route, RunningKiln.bearer(kiln.key())))
                                    .isEqualTo(
                                        send(route, RunningKiln.bearer(kiln.key())).status())))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/health",
        "/metrics",
        "/users/export/download/x?expires=1&signature=x",
        "/users/export/download/x"
      })
  void headOnTheRoutesWithoutAKeyAnswersAsGetDoes(String pathAndQuery) {
    Response get = kiln.send(HttpRequest.newBuilder(kiln.uri(pathAndQuery)).GET());
    Response head =
        kiln.send(
            HttpRequest.newBuilder(kiln.uri(pathAndQuery))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.status())
        .as("HEAD %s: %s, GET: %s", pathAndQuery, head, get)
        .isEqualTo(get.status());
    assertThat(head.body()).isEmpty();
  }

  @Test
  void theInvalidApiKeyBodyIsExactlyBrazes() {
    Response response = send(anyPostRoute(), request -> request);
    assertExactError(response, 401, INVALID_API_KEY);
    assertThat(response.body()).isEqualTo("{\"message\":\"Invalid API Key\"}");
  }

  @Test
  void legacyApiKeyInTheQueryStringIsAccepted() {
    ApiRoute route = anyPostRoute();
    assertExactError(send(route, request -> request), 401, INVALID_API_KEY); // the route is guarded
    Response response =
        kiln.send(
            HttpRequest.newBuilder(
                    kiln.uri(RunningKiln.concretePath(route) + "?api_key=" + encode(kiln.key())))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertPassesAuthentication(response);
  }

  @Test
  void legacyApiKeyInTheJsonBodyIsAccepted() {
    ApiRoute route = anyPostRoute();
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("api_key", kiln.key());
    Response response =
        kiln.send(
            HttpRequest.newBuilder(kiln.uri(RunningKiln.concretePath(route)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    assertPassesAuthentication(response);
  }

  @Test
  void anUnauthenticatedRequestWithAMalformedBodyIs401Not400() {
    Response response =
        kiln.send(
            HttpRequest.newBuilder(kiln.uri(RunningKiln.concretePath(anyPostRoute())))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"attributes\": [")));
    assertExactError(response, 401, INVALID_API_KEY);
  }

  @Test
  void healthNeedsNoKey() {
    Response response = kiln.send(HttpRequest.newBuilder(kiln.uri("/health")).GET());
    assertThat(response.status()).as("%s", response).isEqualTo(200);
  }

  @Test
  void metricsNeedNoKey() {
    Response response = kiln.send(HttpRequest.newBuilder(kiln.uri("/metrics")).GET());
    assertThat(response.status()).as("%s", response).isEqualTo(200);
  }

  // --- helpers ---

  /** Every route the running server guards: the user and segment endpoints and the export ones. */
  private static List<ApiRoute> routes() {
    return kiln.routes();
  }

  private static ApiRoute anyPostRoute() {
    return routes().stream()
        .filter(route -> route.method().equals(HandlerType.POST))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "Kiln serves no POST API route, so there is nothing to authenticate against"));
  }

  private static Response send(ApiRoute route, UnaryOperator<HttpRequest.Builder> auth) {
    return kiln.send(route, auth);
  }

  private static int head(ApiRoute route, UnaryOperator<HttpRequest.Builder> auth) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(kiln.uri(RunningKiln.concretePath(route)))
            .method("HEAD", HttpRequest.BodyPublishers.noBody());
    return kiln.send(auth.apply(request)).status();
  }

  /**
   * The request got past authentication to the endpoint itself (which may still reject the body).
   */
  private static void assertPassesAuthentication(Response response) {
    assertThat(response.status())
        .as("the key should be accepted and the route should exist: %s", response)
        .isNotIn(401, 403, 404, 405);
  }

  private static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
