package dev.kiln.export.callback;

import static dev.kiln.export.callback.Receiver.dropConnection;
import static dev.kiln.export.callback.Receiver.hang;
import static dev.kiln.export.callback.Receiver.redirectTo;
import static dev.kiln.export.callback.Receiver.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.export.callback.CallbackOutcome.Result;
import dev.kiln.export.callback.Receiver.Received;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sender against real HTTP endpoints on 127.0.0.1. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ITCallbackSender {
  private static final String BODY =
      "{\"success\":false,\"reason\":\"the segment's filter cannot be evaluated: é\"}";
  private static final Duration LONG = Duration.ofMinutes(5);
  private static final Duration JOIN = Duration.ofSeconds(20);

  /** Loopback is private, so these tests allow private targets; short delays keep them quick. */
  private static CallbackSettings quick(Duration deadline, Duration requestTimeout) {
    return new CallbackSettings(
        true, Duration.ofMillis(10), Duration.ofMillis(40), deadline, requestTimeout);
  }

  private static CallbackSettings quick() {
    return quick(LONG, Duration.ofSeconds(10));
  }

  @Test
  void theReceiverGetsExactlyTheJsonBodyAsJson() throws Exception {
    try (Receiver receiver = Receiver.start(status(200));
        CallbackSender sender = new CallbackSender(quick())) {
      CallbackOutcome outcome = sender.send(receiver.uri("/hooks/export?token=abc"), BODY);

      assertThat(outcome).isEqualTo(new CallbackOutcome(Result.DELIVERED, 1, null));
      assertThat(receiver.received())
          .containsExactly(new Received("POST", "/hooks/export", "application/json", "Kiln", BODY));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {201, 202, 204, 299})
  void anySuccessStatusDelivers(int code) throws Exception {
    try (Receiver receiver = Receiver.start(status(code));
        CallbackSender sender = new CallbackSender(quick())) {
      assertThat(sender.send(receiver.uri("/"), BODY))
          .isEqualTo(new CallbackOutcome(Result.DELIVERED, 1, null));
    }
  }

  @Test
  void aServerErrorThenATimeoutAreRetriedUntilTheEndpointAnswers() throws Exception {
    try (Receiver receiver = Receiver.start(status(503), hang(), status(200));
        CallbackSender sender = new CallbackSender(quick(LONG, Duration.ofSeconds(1)))) {
      CallbackOutcome outcome = sender.send(receiver.uri("/"), BODY);

      assertThat(outcome).isEqualTo(new CallbackOutcome(Result.DELIVERED, 3, null));
      assertThat(receiver.received())
          .hasSize(3)
          .allSatisfy(received -> assertThat(received.body()).isEqualTo(BODY));
    }
  }

  @Test
  void aDroppedConnectionIsRetried() throws Exception {
    try (Receiver receiver = Receiver.start(dropConnection(), status(200));
        CallbackSender sender = new CallbackSender(quick())) {
      CallbackOutcome outcome = sender.send(receiver.uri("/"), BODY);

      assertThat(outcome.result()).isEqualTo(Result.DELIVERED);
      assertThat(outcome.attempts()).isEqualTo(2).isEqualTo(receiver.received().size());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 504})
  void statusesThatSayLaterAreRetried(int code) throws Exception {
    try (Receiver receiver = Receiver.start(status(code), status(200));
        CallbackSender sender = new CallbackSender(quick())) {
      assertThat(sender.send(receiver.uri("/"), BODY))
          .isEqualTo(new CallbackOutcome(Result.DELIVERED, 2, null));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 410, 422})
  void otherClientErrorsAreNotRetried(int code) throws Exception {
    try (Receiver receiver = Receiver.start(status(code), status(200));
        CallbackSender sender = new CallbackSender(quick())) {
      CallbackOutcome outcome = sender.send(receiver.uri("/"), BODY);

      assertThat(outcome)
          .isEqualTo(new CallbackOutcome(Result.REJECTED, 1, "answered HTTP " + code));
      assertThat(receiver.received()).hasSize(1);
    }
  }

  @Test
  void aHostThatDoesNotResolveYetIsRetriedUntilItDoes() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    CallbackTargets flakyDns =
        new CallbackTargets(
            true,
            host -> {
              if (lookups.incrementAndGet() <= 2) {
                throw new UnknownHostException(host);
              }
              return new InetAddress[] {InetAddress.getLoopbackAddress()};
            });
    try (Receiver receiver = Receiver.start(status(200));
        CallbackSender sender = new CallbackSender(quick(), flakyDns)) {
      // The HTTP client resolves the name again with the system's resolver: a name it knows, then.
      URI byName = URI.create("http://localhost:" + receiver.uri("/").getPort() + "/");

      CallbackOutcome outcome = sender.send(byName, BODY);

      assertThat(outcome).isEqualTo(new CallbackOutcome(Result.DELIVERED, 1, null));
      assertThat(lookups).hasValue(3);
    }
  }

  @Test
  void aHostThatNeverResolvesFailsAtTheDeadlineWithoutARequest() {
    CallbackTargets noDns =
        new CallbackTargets(
            true,
            host -> {
              throw new UnknownHostException(host);
            });
    try (CallbackSender sender =
        new CallbackSender(quick(Duration.ofMillis(200), Duration.ofSeconds(1)), noDns)) {
      CallbackOutcome outcome = sender.send(URI.create("http://hooks.example/"), BODY);

      assertThat(outcome.result()).isEqualTo(Result.DEADLINE_PASSED);
      assertThat(outcome.attempts()).isZero();
      assertThat(outcome.lastFailure()).contains("hooks.example", "could not be resolved");
    }
  }

  @Test
  void aRedirectIsNeitherFollowedNorRetried() throws Exception {
    try (Receiver receiver = Receiver.start(redirectTo("/elsewhere"), status(200));
        CallbackSender sender = new CallbackSender(quick())) {
      CallbackOutcome outcome = sender.send(receiver.uri("/hook"), BODY);

      assertThat(outcome)
          .isEqualTo(
              new CallbackOutcome(
                  Result.REJECTED, 1, "answered HTTP 302; redirects are not followed"));
      assertThat(receiver.received()).extracting(Received::path).containsExactly("/hook");
    }
  }

  @Test
  void afterTheDeadlineTheSenderGivesUpAndCountsItsAttempts() throws Exception {
    try (Receiver receiver = Receiver.start(status(503));
        CallbackSender sender =
            new CallbackSender(quick(Duration.ofSeconds(1), Duration.ofSeconds(10)))) {
      CallbackOutcome outcome = sender.send(receiver.uri("/"), BODY);

      assertThat(outcome.result()).isEqualTo(Result.DEADLINE_PASSED);
      assertThat(outcome.lastFailure()).isEqualTo("answered HTTP 503");
      assertThat(outcome.attempts()).isGreaterThan(1).isEqualTo(receiver.received().size());
    }
  }

  @Test
  void anEndpointThatIsNotListeningIsRetriedUntilTheDeadline() throws Exception {
    URI closed;
    try (Receiver receiver = Receiver.start(status(200))) {
      closed = receiver.uri("/");
    }
    try (CallbackSender sender =
        new CallbackSender(quick(Duration.ofSeconds(1), Duration.ofSeconds(10)))) {
      CallbackOutcome outcome = sender.send(closed, BODY);

      assertThat(outcome.result()).isEqualTo(Result.DEADLINE_PASSED);
      assertThat(outcome.attempts()).isGreaterThan(1);
      assertThat(outcome.lastFailure()).startsWith("connection failed: ");
    }
  }

  @Test
  void aLoopbackTargetIsRefusedWithoutAnyRequestUnlessPrivateTargetsAreAllowed() throws Exception {
    CallbackSettings publicOnly =
        new CallbackSettings(
            false, Duration.ofMillis(10), Duration.ofMillis(40), LONG, Duration.ofSeconds(10));
    try (Receiver receiver = Receiver.start(status(200));
        CallbackSender sender = new CallbackSender(publicOnly)) {
      URI byName = URI.create(receiver.uri("/").toString().replace("127.0.0.1", "localhost"));

      CallbackOutcome literal = sender.send(receiver.uri("/"), BODY);
      CallbackOutcome name = sender.send(byName, BODY);

      assertThat(literal)
          .isEqualTo(
              new CallbackOutcome(
                  Result.REFUSED,
                  0,
                  "callback_endpoint host '127.0.0.1' is not publicly reachable: it resolves to 127.0.0.1, "
                      + "Loopback (RFC 1122, section 3.2.1.3) (KILN_CALLBACK_ALLOW_PRIVATE=true allows it)"));
      assertThat(name.result()).isEqualTo(Result.REFUSED);
      assertThat(name.lastFailure())
          .startsWith(
              "callback_endpoint host 'localhost' is not publicly reachable: it resolves to ");
      assertThat(receiver.received()).isEmpty();
    }
  }

  @Test
  void anInterruptEndsTheWaitBetweenAttempts() throws Exception {
    CallbackSettings slowRetries =
        new CallbackSettings(true, LONG, LONG, LONG.multipliedBy(2), Duration.ofSeconds(10));
    try (Receiver receiver = Receiver.start(status(503));
        CallbackSender sender = new CallbackSender(slowRetries)) {
      Sending sending = Sending.start(sender, receiver.uri("/"));
      receiver.awaitRequests(1);
      sending.awaitSleeping();

      CallbackOutcome outcome = sending.interruptAndJoin();

      assertThat(outcome.result()).isEqualTo(Result.INTERRUPTED);
      assertThat(outcome.attempts()).isEqualTo(1);
      assertThat(outcome.lastFailure())
          .isEqualTo("interrupted while waiting to retry after: answered HTTP 503");
      assertThat(sending.stillInterrupted()).isTrue();
    }
  }

  @Test
  void anInterruptEndsAnAttemptInFlight() throws Exception {
    try (Receiver receiver = Receiver.start(hang());
        CallbackSender sender = new CallbackSender(quick(LONG, LONG))) {
      Sending sending = Sending.start(sender, receiver.uri("/"));
      receiver.awaitRequests(1);

      CallbackOutcome outcome = sending.interruptAndJoin();

      assertThat(outcome)
          .isEqualTo(new CallbackOutcome(Result.INTERRUPTED, 1, "interrupted during attempt 1"));
      assertThat(sending.stillInterrupted()).isTrue();
    }
  }

  /** A send on its own thread, as the export worker runs it, so the test can interrupt it. */
  private static final class Sending {
    private final CompletableFuture<CallbackOutcome> outcome = new CompletableFuture<>();
    private final AtomicBoolean interruptedAfter = new AtomicBoolean();
    private final Thread thread;

    private Sending(CallbackSender sender, URI endpoint) {
      thread =
          Thread.ofPlatform()
              .name("callback-sender-test")
              .start(
                  () -> {
                    CallbackOutcome result = sender.send(endpoint, BODY);
                    interruptedAfter.set(Thread.currentThread().isInterrupted());
                    outcome.complete(result);
                  });
    }

    static Sending start(CallbackSender sender, URI endpoint) {
      return new Sending(sender, endpoint);
    }

    /**
     * Waits until the sender sleeps before its next attempt: the only timed wait of a send, as the
     * HTTP client waits for answers without a timeout of its own.
     */
    void awaitSleeping() throws InterruptedException {
      long end = System.nanoTime() + JOIN.toNanos();
      while (thread.getState() != Thread.State.TIMED_WAITING) {
        if (System.nanoTime() - end > 0) {
          throw new AssertionError("the sender did not start waiting; it is " + thread.getState());
        }
        Thread.sleep(5);
      }
    }

    CallbackOutcome interruptAndJoin() throws Exception {
      thread.interrupt();
      if (!thread.join(JOIN)) {
        throw new AssertionError("the sender did not stop when interrupted");
      }
      return outcome.getNow(null);
    }

    /** Whether the sending thread still had its interrupt status when the send returned. */
    boolean stillInterrupted() {
      return interruptedAfter.get();
    }
  }
}
