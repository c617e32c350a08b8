package dev.kiln.server.exports;

import static dev.kiln.server.exports.ExportFixtures.cohortSegment;
import static dev.kiln.server.exports.ExportFixtures.exportIds;
import static dev.kiln.server.exports.ExportFixtures.trackCohort;
import static dev.kiln.server.exports.ExportStatuses.await;
import static dev.kiln.server.exports.ExportStatuses.status;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.CallbackReceiver;
import dev.kiln.server.testing.MuteCallbackReceiver;
import dev.kiln.server.testing.RunningKiln;
import java.time.Duration;
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
  static final RunningKiln kiln =
      RunningKiln.perClass(Map.of("KILN_CALLBACK_ALLOW_PRIVATE", "true"));

  @Test
  void aCallbackThatIsNeverAnsweredHoldsUpNoOtherExport() throws Exception {
    trackCohort(kiln, COHORT, USERS);
    String segmentId = cohortSegment(kiln, COHORT);
    try (MuteCallbackReceiver mute = MuteCallbackReceiver.start();
        CallbackReceiver receiver = CallbackReceiver.start()) {
      String first = exportIds(kiln, segmentId, mute.url());
      await(kiln, first, "state", "succeeded", PROMPTLY);
      awaitConnection(mute);

      String second = exportIds(kiln, segmentId, receiver.url());
      JsonNode secondCallback = json(receiver.next(PROMPTLY));
      assertThat(secondCallback.path("success").asBoolean())
          .as("second callback %s", secondCallback)
          .isTrue();
      JsonNode secondStatus = await(kiln, second, "callback", "sent", PROMPTLY);
      assertThat(secondStatus.path("state").asText()).isEqualTo("succeeded");
      assertThat(secondStatus.path("users_written").asInt()).isEqualTo(USERS);
      assertThat(status(kiln, first).path("callback").asText())
          .as("the first callback, still retried")
          .isEqualTo("pending");

      mute.answer();
      JsonNode firstCallback = json(mute.next(Duration.ofSeconds(90)));
      assertThat(firstCallback.path("success").asBoolean())
          .as("first callback %s", firstCallback)
          .isTrue();
      assertThat(ExportDownloads.download(firstCallback.path("url").asText()).statusCode())
          .isEqualTo(200);
      JsonNode firstStatus = await(kiln, first, "callback", "sent", PROMPTLY);
      assertThat(firstStatus.path("users_written").asInt()).isEqualTo(USERS);
    }
  }

  /** The first attempt of the mute callback is under way: its connection is open and unanswered. */
  private static void awaitConnection(MuteCallbackReceiver mute) throws InterruptedException {
    long deadline = System.nanoTime() + PROMPTLY.toNanos();
    while (mute.unanswered() == 0) {
      assertThat(System.nanoTime())
          .as("a callback attempt reaches the mute endpoint")
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
