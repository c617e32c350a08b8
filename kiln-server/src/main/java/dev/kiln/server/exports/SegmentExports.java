package dev.kiln.server.exports;

import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.export.DownloadLinks;
import dev.kiln.export.ExpiredExports;
import dev.kiln.export.ExportSettings;
import dev.kiln.export.ExportWorker;
import dev.kiln.segment.SegmentStorage;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.config.Secret;
import dev.kiln.server.segments.SegmentService;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Segment exports on this node: the endpoints, the workers that write jobs and send callbacks, and
 * where files go (Kiln's own folder behind signed links, or the operator's S3 bucket).
 */
public final class SegmentExports implements AutoCloseable {
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  private final ExportWorker worker;
  private final ExportEndpoints endpoints;
  private final Optional<ExportSweeper> sweeper;
  private final List<AutoCloseable> resources;

  private SegmentExports(
      ExportWorker worker,
      ExportEndpoints endpoints,
      Optional<ExportSweeper> sweeper,
      List<AutoCloseable> resources) {
    this.worker = worker;
    this.endpoints = endpoints;
    this.sweeper = sweeper;
    this.resources = resources;
  }

  /**
   * @param publicUrl the base of links, known once the server listens (its port may be chosen then)
   */
  public static SegmentExports create(
      KilnConfig config,
      ProfileStorage storage,
      SegmentStorage segmentStorage,
      Supplier<URI> publicUrl,
      Clock clock) {
    SegmentService segments = new SegmentService(segmentStorage, clock);
    Path exportsDir = config.dataDir().resolve("exports");
    ExportSinks.Chosen chosen = ExportSinks.choose(config, exportsDir);
    Optional<ExportEndpoints.LocalDownloads> downloads =
        chosen
            .local()
            .map(
                local ->
                    new ExportEndpoints.LocalDownloads(
                        local,
                        new DownloadLinks(
                            publicUrl,
                            UrlSigningKey.load(
                                config.exports().urlSigningKey().map(Secret::value),
                                config.dataDir()),
                            config.exports().urlValidity())));
    Callbacks callbacks = new Callbacks(config.callbacks().allowPrivate());
    ExportSettings settings =
        new ExportSettings(
            exportsDir.resolve(".work"),
            config.exports().lease(),
            POLL_INTERVAL,
            Runtime.getRuntime().availableProcessors(),
            config.exports().maxAttempts(),
            config.exports().retryDelay(),
            config.callbacks().threads());
    ExportWorker worker =
        new ExportWorker(
            storage.exportJobs(),
            segmentStorage.segmentQueries(),
            segments.resolver(),
            chosen.sink(),
            downloads.map(ExportEndpoints.LocalDownloads::links),
            callbacks,
            settings,
            clock);
    ExportEndpoints endpoints =
        new ExportEndpoints(
            segments,
            storage.exportJobs(),
            callbacks::checkWhenRequested,
            downloads,
            worker,
            clock);
    Optional<ExportSweeper> sweeper =
        downloads.map(
            local ->
                new ExportSweeper(
                    new ExpiredExports(local.sink(), storage.exportJobs(), local.links(), clock)));
    List<AutoCloseable> resources = new ArrayList<>(List.of(callbacks, chosen.closer()));
    sweeper.ifPresent(resources::add);
    return new SegmentExports(worker, endpoints, sweeper, List.copyOf(resources));
  }

  /** The export endpoints, which the route table (ApiRoutes) serves. */
  public ExportEndpoints endpoints() {
    return endpoints;
  }

  public void start() {
    worker.start();
    sweeper.ifPresent(ExportSweeper::start);
  }

  /** Stops the worker (its job is left for a restart or another node), then what it used. */
  @Override
  public void close() throws Exception {
    worker.close();
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }
}
