package dev.kiln.server.citus;

import static dev.kiln.server.testing.TestJson.quote;

import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Clients that keep sending {@code visits: {inc: 1}}, one user per request, round the given users
 * until stopped, and record every answer with when it was sent and received: a fault test then
 * knows which increments were acknowledged and what each user was answered during a fault.
 */
final class IncrementLoad {
  /** One request's answer; the times are {@link System#nanoTime()}. */
  record Answer(String user, Response response, long sentNanos, long answeredNanos) {
    int status() {
      return response.status();
    }
  }

  private final RunningKiln kiln;
  private final List<String> users;
  private final ExecutorService clients;
  private final List<Future<?>> running;
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private volatile boolean stopping;

  private IncrementLoad(RunningKiln kiln, List<String> users, int clients) {
    this.kiln = kiln;
    this.users = users;
    this.clients = Executors.newFixedThreadPool(clients);
    this.running =
        IntStream.range(0, clients)
            .<Future<?>>mapToObj(client -> this.clients.submit(() -> send(client, clients)))
            .toList();
  }

  static IncrementLoad start(RunningKiln kiln, List<String> users, int clients) {
    return new IncrementLoad(kiln, users, clients);
  }

  /** Client {@code client} of {@code clients} sends to every clients-th user, round and round. */
  private void send(int client, int clients) {
    for (int i = client; !stopping; i += clients) {
      String user = users.get(i % users.size());
      long sent = System.nanoTime();
      Response response =
          kiln.post(
              "/users/track",
              "{\"attributes\":[{\"external_id\":%s,\"visits\":{\"inc\":1}}]}"
                  .formatted(quote(user)));
      answers.add(new Answer(user, response, sent, System.nanoTime()));
    }
  }

  /** The answers so far. */
  List<Answer> answers() {
    return List.copyOf(answers);
  }

  /**
   * Waits until {@code done} holds for the answers so far, at most {@code timeoutMillis}; says
   * whether it did.
   */
  boolean awaitAnswers(Predicate<List<Answer>> done, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      if (done.test(answers())) {
        return true;
      }
      Thread.sleep(100);
    }
    return done.test(answers());
  }

  /** Stops the clients after their requests in flight, which fail the test if they failed. */
  List<Answer> stop() throws Exception {
    stopping = true;
    for (Future<?> client : running) {
      client.get(60, TimeUnit.SECONDS);
    }
    clients.shutdown();
    return answers();
  }

  /** The increments acknowledged (201) per user. */
  static Map<String, Long> acknowledged(List<Answer> answers) {
    return answers.stream()
        .filter(answer -> answer.status() == 201)
        .collect(Collectors.groupingBy(Answer::user, Collectors.counting()));
  }
}
