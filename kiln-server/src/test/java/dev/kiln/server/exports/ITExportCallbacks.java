package dev.kiln.server.exports;

import static dev.kiln.server.exports.ExportStatuses.await;
import static dev.kiln.server.exports.ExportStatuses.status;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.CallbackReceiver;
import dev.kiln.server.testing.MuteCallbackReceiver;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A callback endpoint that accepts the connection and never answers is retried for 15 minutes: that
 * must hold up no other export. Callbacks go on threads of their own, so the next export is written
 * and called back at once while the first callback is still being retried, and that one is still
 * delivered once its endpoint answers.
 */
class ITExportCallbacks {
  private static final int USERS = 150;
  private static final String COHORT = uid("callbacks");
  /** Far shorter than the 15 minutes a mute endpoint holds a callback. */
  private static final Duration PROMPTLY = Duration.ofSeconds(60);

  @RegisterExtension
  static final RunningKiln kiln = RunningKiln.perClass(Map.of("KILN_CALLBACK_ALLOW_PRIVATE", "true"));

  @Test
  void aCallbackThatIsNeverAnsweredHoldsUpNoOtherExport() throws Exception {
    populate();
    String segmentId = segment();
    try (MuteCallbackReceiver mute = MuteCallbackReceiver.start(); CallbackReceiver receiver = CallbackReceiver.start()) {
      String first = export(segmentId, mute.url());
      await(kiln, first, "state", "succeeded", PROMPTLY);
      awaitConnection(mute);

      String second = export(segmentId, receiver.url());
      JsonNode secondCallback = json(receiver.next(PROMPTLY));
      assertThat(secondCallback.path("success").asBoolean()).as("second callback %s", secondCallback).isTrue();
      JsonNode secondStatus = await(kiln, second, "callback", "sent", PROMPTLY);
      assertThat(secondStatus.path("state").asText()).isEqualTo("succeeded");
      assertThat(secondStatus.path("users_written").asInt()).isEqualTo(USERS);
      assertThat(status(kiln, first).path("callback").asText()).as("the first callback, still retried").isEqualTo("pending");

      mute.answer();
      JsonNode firstCallback = json(mute.next(Duration.ofSeconds(90)));
      assertThat(firstCallback.path("success").asBoolean()).as("first callback %s", firstCallback).isTrue();
      assertThat(ExportDownloads.download(firstCallback.path("url").asText()).statusCode()).isEqualTo(200);
      JsonNode firstStatus = await(kiln, first, "callback", "sent", PROMPTLY);
      assertThat(firstStatus.path("users_written").asInt()).isEqualTo(USERS);
    }
  }

  private static void populate() {
    List<String> attributes = new ArrayList<>();
    for (int n = 0; n < USERS; n++) {
      attributes.add("{\"external_id\":%s,\"cohort\":%s}".formatted(quote(COHORT + "-" + n), quote(COHORT)));
    }
    for (int from = 0; from < USERS; from += 75) {
      Response tracked = kiln.post("/users/track",
          "{\"attributes\":[" + String.join(",", attributes.subList(from, Math.min(from + 75, USERS))) + "]}");
      assertThat(tracked.status()).as("tracking users: %s", tracked).isEqualTo(201);
    }
  }

  private static String segment() {
    Response created = kiln.post("/segments/create", """
        {"name":%s,"filter":{"custom_attribute":"cohort","op":"equals","value":%s}}""".formatted(quote(uid("seg")), quote(COHORT)));
    assertThat(created.status()).as("creating the segment: %s", created).isEqualTo(201);
    return created.json().path("segment_id").asText();
  }

  private static String export(String segmentId, String callback) {
    Response response = kiln.post("/users/export/segment", """
        {"segment_id":%s,"fields_to_export":["external_id"],"callback_endpoint":%s}""".formatted(quote(segmentId), quote(callback)));
    assertThat(response.status()).as("export request: %s", response).isEqualTo(201);
    return response.json().path("object_prefix").asText();
  }

  /** The first attempt of the mute callback is under way: its connection is open and unanswered. */
  private static void awaitConnection(MuteCallbackReceiver mute) throws InterruptedException {
    long deadline = System.nanoTime() + PROMPTLY.toNanos();
    while (mute.unanswered() == 0) {
      assertThat(System.nanoTime()).as("a callback attempt reaches the mute endpoint").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
