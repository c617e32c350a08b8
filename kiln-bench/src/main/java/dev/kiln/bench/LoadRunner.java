package dev.kiln.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop HTTP load on loopback: {@code connections} clients each send the next prepared body
 * as soon as the previous answer arrived. A warm-up runs first and is not counted; then requests
 * are counted and timed for a fixed duration, and the server's CPU time over the same window is
 * read.
 */
final class LoadRunner {

  /** How hard and how long to push. */
  record Settings(int connections, Duration warmup, Duration duration) {}

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .executor(Executors.newFixedThreadPool(2))
          .build();

  LoadResult run(
      ServerProcess server,
      String path,
      String apiKey,
      List<String> bodies,
      int expectedStatus,
      int objectsPerRequest,
      Settings settings)
      throws InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
    List<byte[]> encoded =
        bodies.stream().map(body -> body.getBytes(StandardCharsets.UTF_8)).toList();
    Window window = new Window();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < settings.connections(); i++) {
      clients.add(
          Thread.ofPlatform()
              .name("bench-client-" + i)
              .daemon(true)
              .start(() -> sendUntilStopped(uri, apiKey, encoded, expectedStatus, window)));
    }
    Thread.sleep(settings.warmup().toMillis());
    window.recorder.reset();
    window.measuring = true;
    Duration cpuBefore = server.cpuTime();
    long started = System.nanoTime();
    Thread.sleep(settings.duration().toMillis());
    window.measuring = false;
    long elapsed = System.nanoTime() - started;
    Duration cpuAfter = server.cpuTime();
    window.stopped = true;
    for (Thread thread : clients) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    Histogram latencies = window.recorder.getIntervalHistogram();
    double seconds = elapsed / 1e9;
    long requests = window.completed.sum();
    return new LoadResult(
        requests,
        window.errors.sum(),
        seconds,
        requests / seconds,
        requests * objectsPerRequest / seconds,
        millis(latencies.getValueAtPercentile(50)),
        millis(latencies.getValueAtPercentile(99)),
        millis(latencies.getMaxValue()),
        cpuAfter.minus(cpuBefore).toNanos() / (double) elapsed,
        window.firstError.get());
  }

  private void sendUntilStopped(
      URI uri, String apiKey, List<byte[]> bodies, int expectedStatus, Window window) {
    while (!window.stopped) {
      byte[] body = bodies.get((int) (window.next.getAndIncrement() % bodies.size()));
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .header("Authorization", "Bearer " + apiKey)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      long start = System.nanoTime();
      boolean ok;
      String failure = null;
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        ok = response.statusCode() == expectedStatus;
        if (!ok) {
          failure = response.statusCode() + " " + response.body();
        }
      } catch (IOException e) {
        ok = false;
        failure = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long micros = (System.nanoTime() - start) / 1000;
      if (window.measuring) {
        window.recorder.recordValue(micros);
        window.completed.increment();
        if (!ok) {
          window.errors.increment();
          window.firstError.compareAndSet(null, failure);
        }
      }
    }
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }

  /** State shared by the client threads of one run. */
  private static final class Window {
    final Recorder recorder = new Recorder(3);
    final AtomicLong next = new AtomicLong();
    final LongAdder completed = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicReference<String> firstError = new AtomicReference<>();
    volatile boolean measuring;
    volatile boolean stopped;
  }
}
