package dev.kiln.export.callback;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the callback of a segment export: POSTs its JSON body to the {@code callback_endpoint},
 * retrying with exponential backoff until the deadline. A delivery failure is an outcome, never an
 * exception, so one bad endpoint cannot disturb the export worker.
 */
public final class CallbackSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackSender.class);

  private final CallbackSettings settings;
  private final CallbackTargets targets;
  private final HttpClient client;

  public CallbackSender(CallbackSettings settings) {
    this(settings, new CallbackTargets(settings.allowPrivate()));
  }

  /** With the policy given; tests give it names that resolve only after a while. */
  CallbackSender(CallbackSettings settings, CallbackTargets targets) {
    this.settings = settings;
    this.targets = targets;
    this.client =
        HttpClient.newBuilder()
            // HTTP/1.1 only: no h2c upgrade dance with endpoints that do not expect it.
            .version(HttpClient.Version.HTTP_1_1)
            // A redirect could point into the private network, past the policy checked for the
            // endpoint.
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(settings.requestTimeout())
            .build();
  }

  /**
   * Sends {@code json} to {@code endpoint} until it answers 2xx, it answers a status retrying will
   * not change, the policy refuses it, the deadline passes or the thread is interrupted. An
   * interrupted thread keeps its interrupt status.
   *
   * @param endpoint a target read by {@link CallbackTargets#parse}
   * @param json the body; never logged, as it may carry a signed download URL
   */
  public CallbackOutcome send(URI endpoint, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String target = withoutQuery(endpoint);
    long deadline = System.nanoTime() + settings.deadline().toNanos();
    Duration delay = settings.initialDelay();
    int attempts = 0;
    while (true) {
      Attempt attempt;
      try {
        // Before every attempt: what the host resolves to may have changed since the last one. The
        // JDK caches lookups (30 s by default), so the client then connects to the addresses judged
        // here unless that cache entry runs out in between.
        targets.check(endpoint);
        attempts++;
        attempt = attempt(endpoint, body);
      } catch (RefusedTarget e) {
        if (!e.lookupFailed()) {
          LOG.warn("callback to {} refused: {}", target, e.detail());
          return new CallbackOutcome(CallbackOutcome.Result.REFUSED, attempts, e.detail());
        }
        attempt =
            Attempt.retry(e.getMessage()); // DNS trouble passes; retried like a failed connection
      } catch (InterruptedException e) {
        return interrupted(attempts, "interrupted during attempt " + attempts);
      }
      switch (attempt.verdict()) {
        case DELIVERED -> {
          return new CallbackOutcome(CallbackOutcome.Result.DELIVERED, attempts, null);
        }
        case REJECTED -> {
          LOG.warn(
              "callback to {} attempt {} failed: {}; not retrying",
              target,
              attempts,
              attempt.failure());
          return new CallbackOutcome(CallbackOutcome.Result.REJECTED, attempts, attempt.failure());
        }
        case RETRY -> {
          if (System.nanoTime() + delay.toNanos() - deadline > 0) {
            LOG.warn(
                "callback to {} attempt {} failed: {}; giving up, the deadline of {} ms passes before the next",
                target,
                attempts,
                attempt.failure(),
                settings.deadline().toMillis());
            return new CallbackOutcome(
                CallbackOutcome.Result.DEADLINE_PASSED, attempts, attempt.failure());
          }
          LOG.warn(
              "callback to {} attempt {} failed: {}; retrying in {} ms",
              target,
              attempts,
              attempt.failure(),
              delay.toMillis());
        }
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return interrupted(
            attempts, "interrupted while waiting to retry after: " + attempt.failure());
      }
      delay = min(delay.multipliedBy(2), settings.maxDelay());
    }
  }

  private Attempt attempt(URI endpoint, byte[] body) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(settings.requestTimeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "Kiln")
            .POST(BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<InputStream> response = client.send(request, BodyHandlers.ofInputStream());
      // Only the status matters. Closing the body unread keeps a slow or endless one from holding
      // this thread past the request timeout, which ends once the headers are in.
      response.body().close();
      return Attempt.of(response.statusCode());
    } catch (HttpTimeoutException e) {
      return Attempt.retry("no answer within " + settings.requestTimeout().toMillis() + " ms");
    } catch (IOException e) {
      return Attempt.retry("connection failed: " + describe(e));
    }
  }

  private static CallbackOutcome interrupted(int attempts, String failure) {
    Thread.currentThread().interrupt();
    return new CallbackOutcome(CallbackOutcome.Result.INTERRUPTED, attempts, failure);
  }

  /** The endpoint for logs: its query may carry a token of the receiver. */
  private static String withoutQuery(URI endpoint) {
    return endpoint.getScheme() + "://" + endpoint.getRawAuthority() + endpoint.getRawPath();
  }

  /**
   * The exception's type and the first message along its causes: the JDK client often leaves its
   * own message empty ("ConnectException" alone is what a refused connection gives).
   */
  private static String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        return e.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Waits for requests still running, then releases the client's threads. */
  @Override
  public void close() {
    client.close();
  }

  private enum Verdict {
    DELIVERED,
    RETRY,
    REJECTED
  }

  private record Attempt(Verdict verdict, String failure) {
    static Attempt of(int status) {
      if (status >= 200 && status < 300) {
        return new Attempt(Verdict.DELIVERED, null);
      }
      if (status >= 300 && status < 400) {
        return new Attempt(
            Verdict.REJECTED, "answered HTTP " + status + "; redirects are not followed");
      }
      // Statuses that say "later": overload, a timeout on the receiver's side, a server error.
      if (status == 408 || status == 429 || status >= 500) {
        return retry("answered HTTP " + status);
      }
      return new Attempt(Verdict.REJECTED, "answered HTTP " + status);
    }

    static Attempt retry(String failure) {
      return new Attempt(Verdict.RETRY, failure);
    }
  }
}
