package dev.kiln.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loads the population through /users/track, as an integration would: the same bodies {@link
 * DirectLoader} applies, sent by several clients at once. Slower than a direct load, but it
 * exercises the whole server.
 */
final class HttpLoader {
  private static final int USERS_PER_REQUEST = 75;

  private HttpLoader() {}

  static void load(ServerProcess server, String apiKey, Workload workload, int clients)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/users/track");
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int client = 0; client < clients; client++) {
        int first = client;
        done.add(
            pool.submit(
                () -> {
                  sendSlice(http, uri, apiKey, workload, first, clients);
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void sendSlice(
      HttpClient http, URI uri, String apiKey, Workload workload, int first, int clients)
      throws IOException, InterruptedException {
    SplittableRandom random = new SplittableRandom(first);
    int requests = (workload.users() + USERS_PER_REQUEST - 1) / USERS_PER_REQUEST;
    for (int request = first; request < requests; request += clients) {
      int from = request * USERS_PER_REQUEST;
      String body =
          workload.populationBody(
              random, from, Math.min(workload.users(), from + USERS_PER_REQUEST));
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .header("Authorization", "Bearer " + apiKey)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new IOException(
            "loading users " + from + "+ failed: " + response.statusCode() + " " + response.body());
      }
    }
  }
}
