package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.CheckResult;
import dev.kiln.core.auth.ApiKeyStore;
import dev.kiln.core.export.ExportJobStore;
import dev.kiln.core.storage.ProfileReader;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.core.storage.ProfileWriter;
import dev.kiln.core.storage.UserDirectory;
import dev.kiln.segment.SegmentDefinitions;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentStorage;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.exports.SegmentExports;
import dev.kiln.server.http.ApiRoute;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route table without a server: every endpoint Kiln serves, with the Braze permission a key
 * needs for it (docs/braze-reference.md section 1.2) and the rate-limit group it counts against
 * (section 1.5). Building the routes touches no storage, so the stores here are fakes that refuse
 * every call.
 */
class ApiRoutesTest {
  @TempDir Path dataDir;

  /** "METHOD path" of each route, with its permission name and rate-limit group, in table order. */
  private static final List<String> TABLE =
      List.of(
          "POST /users/track users.track users.track",
          "POST /users/track/sync users.track.sync users.track.sync",
          "POST /users/export/ids users.export.ids users.export.ids",
          "POST /users/alias/new users.alias.new users.management",
          "POST /users/alias/update users.alias.update users.management",
          "POST /users/identify users.identify users.management",
          "POST /users/merge users.merge users.management",
          "POST /users/delete users.delete users.management",
          "POST /users/external_ids/rename users.external_ids.rename users.external_ids",
          "POST /users/external_ids/remove users.external_ids.remove users.external_ids",
          "POST /segments/create segments.create segments.and.exports",
          "POST /segments/update segments.update segments.and.exports",
          "POST /segments/delete segments.delete segments.and.exports",
          "GET /segments/size segments.size segments.and.exports",
          "GET /segments/list segments.list segments.and.exports",
          "GET /segments/details segments.details segments.and.exports",
          "POST /users/export/segment users.export.segment segments.and.exports",
          "GET /users/export/status users.export.segment segments.and.exports",
          "POST /users/export/cancel users.export.segment segments.and.exports");

  @Test
  void everyRouteHasItsBrazePermissionAndRateLimitGroup() throws Exception {
    assertThat(rows(allRoutes())).containsExactlyElementsOf(TABLE);
  }

  @Test
  void aStoreWithoutSegmentsServesNeitherSegmentsNorExports() throws Exception {
    List<ApiRoute> routes =
        ApiRoutes.all(new UnusedStorage(), Optional.empty(), config(), Optional.empty());

    assertThat(rows(routes)).containsExactlyElementsOf(TABLE.subList(0, 10));
  }

  @Test
  void noTwoRoutesShareMethodAndPath() throws Exception {
    Map<String, Long> byEndpoint =
        allRoutes().stream()
            .collect(Collectors.groupingBy(ApiRoutesTest::endpoint, Collectors.counting()));

    assertThat(byEndpoint).allSatisfy((endpoint, count) -> assertThat(count).isOne());
  }

  @Test
  void everyRouteIsDocumented() throws Exception {
    String docs = documentation();

    assertThat(allRoutes()).allSatisfy(route -> assertThat(docs).contains(endpoint(route)));
  }

  @Test
  void theDownloadLinkIsNotAnApiRoute() throws Exception {
    assertThat(allRoutes())
        .noneSatisfy(route -> assertThat(route.path()).isEqualTo(ApiRoutes.DOWNLOAD));
  }

  private List<ApiRoute> allRoutes() throws Exception {
    ProfileStorage storage = new UnusedStorage();
    SegmentStorage segments = new UnusedSegments();
    KilnConfig config = config();
    try (SegmentExports exports =
        SegmentExports.create(
            config,
            storage,
            segments,
            () -> URI.create("http://127.0.0.1:8080"),
            Clock.systemUTC())) {
      return ApiRoutes.all(storage, Optional.of(segments), config, Optional.of(exports));
    }
  }

  private KilnConfig config() {
    return KilnConfig.load(Map.of("KILN_DATA_DIR", dataDir.toString()));
  }

  private static List<String> rows(List<ApiRoute> routes) {
    return routes.stream()
        .map(
            route ->
                endpoint(route)
                    + " "
                    + route.permission().permissionName()
                    + " "
                    + route.rateLimitGroup().groupName())
        .toList();
  }

  private static String endpoint(ApiRoute route) {
    return route.method().name() + " " + route.path();
  }

  /** Kiln's own docs, where each endpoint is written as "METHOD path". */
  private static String documentation() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("..", "docs"))) {
      StringBuilder all = new StringBuilder();
      for (Path file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
        all.append(Files.readString(file, StandardCharsets.UTF_8));
      }
      return all.toString();
    }
  }

  /** A role of a store that the route table hands to its endpoints and never calls. */
  private static <T> T unused(Class<T> role) {
    return role.cast(
        Proxy.newProxyInstance(
            role.getClassLoader(),
            new Class<?>[] {role},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(role.getSimpleName() + "." + method);
            }));
  }

  private static final class UnusedStorage extends ProfileStorage {
    @Override
    public void migrate() {
      throw new UnsupportedOperationException("migrate");
    }

    @Override
    public ApiKeyStore apiKeys() {
      return unused(ApiKeyStore.class);
    }

    @Override
    public ProfileWriter profileWriter() {
      return unused(ProfileWriter.class);
    }

    @Override
    public ProfileReader profileReader() {
      return unused(ProfileReader.class);
    }

    @Override
    public UserDirectory userDirectory() {
      return unused(UserDirectory.class);
    }

    @Override
    public ExportJobStore exportJobs() {
      return unused(ExportJobStore.class);
    }

    @Override
    public CheckResult check() {
      return CheckResult.failed("a fake");
    }

    @Override
    public void close() {}
  }

  private static final class UnusedSegments implements SegmentStorage {
    @Override
    public SegmentQueries segmentQueries() {
      return unused(SegmentQueries.class);
    }

    @Override
    public SegmentDefinitions segmentDefinitions() {
      return unused(SegmentDefinitions.class);
    }
  }
}
