package dev.kiln.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts and times every request by endpoint and status ({@code http_server_requests_seconds} in
 * Prometheus), with a histogram so latency percentiles can be computed across nodes.
 */
public final class RequestMetrics {
  private static final String STARTED = "kiln.requestStartedNanos";
  private static final String ENDPOINT = "kiln.endpoint";

  private RequestMetrics() {}

  public static void install(RoutesConfig routes, MeterRegistry registry) {
    routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    routes.after(ctx -> record(ctx, registry));
  }

  private static void record(Context ctx, MeterRegistry registry) {
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    Timer.builder("http.server.requests")
        .description("HTTP requests by endpoint and status")
        .tag("method", ctx.method().name())
        .tag("endpoint", endpoint(ctx))
        .tag("status", Integer.toString(ctx.statusCode()))
        .publishPercentileHistogram()
        .register(registry)
        .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Wraps a route's handler so its requests are tagged with the route's path. */
  public static Handler tagged(String path, Handler handler) {
    return ctx -> {
      ctx.attribute(ENDPOINT, path);
      handler.handle(ctx);
    };
  }

  /** The route's path; unmatched paths share one tag so scanners cannot flood the registry. */
  private static String endpoint(Context ctx) {
    String path = ctx.attribute(ENDPOINT);
    return path == null ? "unmatched" : path;
  }
}
