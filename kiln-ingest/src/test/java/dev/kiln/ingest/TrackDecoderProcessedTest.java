package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.MISSING_IDENTIFIER;
import static dev.kiln.ingest.TrackDecoding.NOW;
import static dev.kiln.ingest.TrackDecoding.assertSingleError;
import static dev.kiln.ingest.TrackDecoding.blank;
import static dev.kiln.ingest.TrackDecoding.changeOf;
import static dev.kiln.ingest.TrackDecoding.decode;
import static dev.kiln.ingest.TrackDecoding.event;
import static dev.kiln.ingest.TrackDecoding.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserLookup;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The processed counts of a /users/track answer and the order of the changes the decoder hands on
 * (docs/braze-reference.md section 2, docs/compatibility.md "Request and response").
 */
class TrackDecoderProcessedTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void processedCountsOnlyTheArraysSent() {
    TrackBatch batch = decode("{\"events\":[" + event("\"external_id\":\"u1\"") + "]}");

    assertThat(batch.processed()).isEqualTo(Map.of("events_processed", 1));
  }

  @Test
  void processedCountsOnlyValidObjects() {
    TrackBatch batch =
        decode(
            "{\"attributes\":[{\"external_id\":\"u1\"},{\"first_name\":\"x\"},{\"external_id\":\"u2\"}],"
                + "\"purchases\":["
                + purchase("\"external_id\":\"u1\"", ",\"quantity\":0")
                + "]}");

    assertThat(batch.processed())
        .isEqualTo(Map.of("attributes_processed", 2, "purchases_processed", 0));
    assertThat(batch.errors())
        .containsExactly(
            new ObjectError(MISSING_IDENTIFIER, "attributes", 1),
            new ObjectError("'quantity' is not valid", "purchases", 0));
  }

  @Test
  void nullArrayIsTreatedAsNotSent() {
    TrackBatch batch =
        decode("{\"attributes\":null,\"events\":[" + event("\"external_id\":\"u1\"") + "]}");

    assertThat(batch.processed()).isEqualTo(Map.of("events_processed", 1));
  }

  @Test
  void emptyBodyHasNoChangesAndNoCounts() {
    TrackBatch batch = decode("{}");

    assertThat(batch.changes()).isEmpty();
    assertThat(batch.processed()).isEmpty();
    assertThat(batch.errors()).isEmpty();
    assertThat(batch.hasValidObjects()).isFalse();
  }

  @Test
  void nonObjectArrayItemIsAnErrorAtItsIndex() {
    TrackBatch batch = decode("{\"events\":[" + event("\"external_id\":\"u1\"") + ",42]}");

    assertSingleError(batch, "each item of 'events' must be an object", "events", 1);
  }

  @Test
  void changesComeInOrderAttributesEventsPurchasesWhateverTheBodyOrder() {
    String json =
        "{\"purchases\":["
            + purchase("\"external_id\":\"p1\"", "")
            + "],"
            + "\"events\":["
            + event("\"external_id\":\"e1\"")
            + ","
            + event("\"external_id\":\"e2\"")
            + "],"
            + "\"attributes\":[{\"external_id\":\"a1\"},{\"external_id\":\"a2\"}]}";

    TrackBatch batch = decode(json);

    assertThat(batch.changes())
        .extracting(ProfileChange::lookup)
        .containsExactly(
            new UserLookup.ExternalId("a1"),
            new UserLookup.ExternalId("a2"),
            new UserLookup.ExternalId("e1"),
            new UserLookup.ExternalId("e2"),
            new UserLookup.ExternalId("p1"));
    assertThat(batch.processed().keySet())
        .containsExactly("attributes_processed", "events_processed", "purchases_processed");
  }

  @Test
  void objectCountIncludesInvalidObjects() {
    TrackBatch batch =
        decode("{\"events\":[" + event("\"external_id\":\"u1\"") + ",{\"name\":\"x\"}]}");

    assertThat(batch.objectCount()).isEqualTo(2);
  }

  @Test
  void errorIndexesAreZeroBasedWithinTheirArray() {
    ArrayNode attributes = JSON.createArrayNode();
    for (int i = 0; i < 5; i++) {
      attributes.add(
          i == 3
              ? Bodies.body("{\"first_name\":\"x\"}")
              : Bodies.body("{\"external_id\":\"u" + i + "\"}"));
    }
    ObjectNode request = JSON.createObjectNode();
    request.set("attributes", attributes);

    TrackBatch batch = decode(request);

    assertSingleError(batch, MISSING_IDENTIFIER, "attributes", 3);
    assertThat(batch.processed()).containsEntry("attributes_processed", 4);
  }

  @Test
  void purchaseTotalsUseExactDecimalPrice() {
    ProfileChange change =
        changeOf(
            "purchases",
            "{\"external_id\":\"u1\",\"product_id\":\"sku\",\"currency\":\"EUR\","
                + "\"price\":0.1,\"quantity\":3,\"time\":\"2025-01-01T00:00:00Z\"}");

    assertThat(change.update().apply(blank(), NOW).totalRevenue())
        .isEqualByComparingTo(new BigDecimal("0.3"));
  }
}
