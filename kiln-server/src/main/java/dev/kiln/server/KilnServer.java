package dev.kiln.server;

import dev.kiln.core.CheckResult;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.OwnerOnlyFiles;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.segment.SegmentStorage;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.exports.SegmentExports;
import dev.kiln.server.http.ApiKeyAuthenticator;
import dev.kiln.server.http.ApiRoute;
import dev.kiln.server.http.ErrorMapping;
import dev.kiln.server.http.Json;
import dev.kiln.server.http.JsonErrorHandler;
import dev.kiln.server.http.RateLimiting;
import dev.kiln.server.http.RequestBodies;
import dev.kiln.server.http.RequestMetrics;
import dev.kiln.server.http.SlowBodyGuard;
import dev.kiln.server.http.UnstorableValues;
import dev.kiln.server.segments.SegmentService;
import dev.kiln.server.segments.SegmentsFile;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on Jetty 12. It knows routes, authentication and error mapping; what an
 * endpoint does lives in the endpoint's own class, handed in as {@link ApiRoute}s.
 */
public final class KilnServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KilnServer.class);

  private final Javalin javalin;
  private final ProfileStorage storage;
  private final Optional<SegmentExports> exports;
  private final JvmGcMetrics gcMetrics;
  private final List<ApiRoute> routes;
  private boolean stopped;

  private KilnServer(
      Javalin javalin,
      ProfileStorage storage,
      Optional<SegmentExports> exports,
      JvmGcMetrics gcMetrics,
      List<ApiRoute> routes) {
    this.routes = List.copyOf(routes);
    this.javalin = javalin;
    this.storage = storage;
    this.exports = exports;
    this.gcMetrics = gcMetrics;
  }

  /**
   * Starts serving on the configured host and port. The storage must be migrated; the server owns
   * it from here on and closes it when it stops.
   *
   * @param segments the store's segment roles: every store {@code StorageFactory} builds has them;
   *     a store without them (the benchmark's parse-only stand-in) gets no segment or export
   *     endpoints
   */
  public static KilnServer start(
      KilnConfig config, ProfileStorage storage, Optional<SegmentStorage> segments) {
    Objects.requireNonNull(storage, "storage == null");
    tightenDataFolder(config.dataDir());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JvmGcMetrics gcMetrics = bindJvmMetrics(registry);
    applySegmentsFile(config, segments);
    AtomicInteger boundPort = new AtomicInteger();
    Optional<SegmentExports> exports =
        segments.map(
            segmentStorage ->
                SegmentExports.create(
                    config,
                    storage,
                    segmentStorage,
                    () -> URI.create(config.http().publicUrl(boundPort.get())),
                    Clock.systemUTC()));
    List<ApiRoute> routes = ApiRoutes.all(storage, segments, config, exports);
    ApiKeyAuthenticator authenticator =
        new ApiKeyAuthenticator(storage.apiKeys(), rateLimiting(config, storage));
    Javalin javalin =
        Javalin.create(
            javalinConfig -> {
              configureJetty(javalinConfig, config);
              ErrorMapping.install(javalinConfig.routes);
              RequestMetrics.install(javalinConfig.routes, registry);
              UnstorableValues.install(javalinConfig.routes);
              get(javalinConfig, "/health", ctx -> health(ctx, storage));
              get(
                  javalinConfig,
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(registry.scrape()));
              exports.ifPresent(
                  export -> get(javalinConfig, ApiRoutes.DOWNLOAD, export.endpoints()::download));
              for (ApiRoute route : routes) {
                route(javalinConfig, route.method(), route.path(), authenticator.guard(route));
              }
            });
    javalin.start(config.http().host(), config.http().port());
    boundPort.set(javalin.port());
    exports.ifPresent(SegmentExports::start);
    return new KilnServer(javalin, storage, exports, gcMetrics, routes);
  }

  public int port() {
    return javalin.port();
  }

  /** Every API route this server serves behind an API key, with the permission each needs. */
  public List<ApiRoute> routes() {
    return routes;
  }

  /**
   * Stops gracefully: stops accepting connections, lets in-flight requests finish (up to the
   * shutdown timeout), then closes the storage, which commits everything already accepted.
   */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      javalin.stop();
      for (SegmentExports export : exports.stream().toList()) {
        export.close();
      }
    } catch (Exception e) {
      LOG.error("stopping segment exports failed", e);
    } finally {
      storage.close();
      gcMetrics.close();
      LOG.info("Kiln stopped");
    }
  }

  private static void get(JavalinConfig javalinConfig, String path, Handler handler) {
    route(javalinConfig, HandlerType.GET, path, handler);
  }

  /**
   * Serves a route, and for a GET the HEAD of it with the same handler: HEAD is GET without the
   * body (RFC 9110, 9.3.2), so it passes the same key, permission and signature checks. Left to
   * Javalin, a HEAD on any GET path would answer 200 without running the route at all.
   */
  private static void route(
      JavalinConfig javalinConfig, HandlerType method, String path, Handler handler) {
    Handler tagged = RequestMetrics.tagged(path, handler);
    javalinConfig.routes.addHttpHandler(method, path, tagged);
    if (HandlerType.GET.equals(method)) {
      javalinConfig.routes.addHttpHandler(HandlerType.HEAD, path, tagged);
    }
  }

  private static RateLimiting rateLimiting(KilnConfig config, ProfileStorage storage) {
    return config.rateLimits().enabled()
        ? RateLimiting.enforcing(
            config.rateLimits().limits(),
            storage.rateLimiter(),
            config.rateLimits().resetInSecondsRemaining(),
            Clock.systemUTC())
        : RateLimiting.off();
  }

  private static void applySegmentsFile(KilnConfig config, Optional<SegmentStorage> segments) {
    config
        .segments()
        .file()
        .ifPresent(
            file -> {
              SegmentStorage segmentStorage =
                  segments.orElseThrow(
                      () ->
                          new KilnException(
                              ErrorCode.INVALID_INPUT,
                              "KILN_SEGMENTS_FILE is set, but this store keeps no segments"));
              SegmentsFile.apply(file, new SegmentService(segmentStorage, Clock.systemUTC()));
            });
  }

  private static void configureJetty(JavalinConfig javalinConfig, KilnConfig config) {
    javalinConfig.startup.showJavalinBanner = false;
    javalinConfig.startup.showOldJavalinVersionWarning = false;
    javalinConfig.http.prefer405over404 = true;
    javalinConfig.http.maxRequestSize = config.http().maxBodyBytes();
    javalinConfig.jetty.modifyServer(
        server -> {
          // GracefulHandler makes Server.stop() wait for requests in flight instead of cutting them
          // off. Bodies are received without a thread before Javalin runs (RequestBodies), inside
          // GracefulHandler so a stop waits for a request whose body is still arriving.
          server.insertHandler(
              new RequestBodies(
                  Math.toIntExact(config.http().maxBodyBytes()),
                  config.http().maxArrivingBodyBytes()));
          server.insertHandler(new GracefulHandler());
          server.setErrorHandler(new JsonErrorHandler());
          // The read timeout is the connectors' idle timeout, which requests inherit. Connectors
          // are made after this runs, so it is set as the server starts them.
          server.addEventListener(
              new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                  for (Connector connector : server.getConnectors()) {
                    if (connector instanceof AbstractConnector idleLimited) {
                      idleLimited.setIdleTimeout(config.http().readTimeout().toMillis());
                    }
                  }
                }
              });
          if (config.http().minRequestBytesPerSecond() > 0) {
            server.insertHandler(new SlowBodyGuard(config.http().minRequestBytesPerSecond()));
          }
          server.setStopTimeout(config.http().shutdownTimeout().toMillis());
        });
  }

  /**
   * A data folder left readable by others (by an older version, or copied in) holds personal data:
   * owner-only from now on.
   */
  private static void tightenDataFolder(Path dataDir) {
    try {
      List<Path> tightened = OwnerOnlyFiles.tighten(dataDir);
      if (!tightened.isEmpty()) {
        LOG.warn(
            "{} files and folders in the data folder {} were readable by other users; made owner-only (700/600)",
            tightened.size(),
            dataDir);
      }
    } catch (IOException e) {
      throw new KilnException(
          ErrorCode.STORAGE_UNAVAILABLE,
          "cannot make the data folder " + dataDir + " owner-only",
          e);
    }
  }

  private static void health(io.javalin.http.Context ctx, ProfileStorage storage) {
    CheckResult check = storage.check();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", check.ok() ? "ok" : "unavailable");
    if (!check.ok()) {
      body.put("reason", check.reason());
    }
    Json.respond(
        ctx,
        check.ok() ? 200 : 503,
        Map.of("storage", body, "message", check.ok() ? "success" : "unhealthy"));
  }

  private static JvmGcMetrics bindJvmMetrics(PrometheusMeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    return gcMetrics;
  }
}
