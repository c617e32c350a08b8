package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.assertNothingValid;
import static dev.kiln.ingest.TrackDecoding.decodeAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.track.AttributesUpdate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The identifier rules of docs/compatibility.md ("Identifiers") and the bounds of alias names,
 * labels and phones: each bad identifier an error of its own object, beside valid objects. The wire
 * shape of such errors (201 with the errors, or 400 when no object is valid) is ITTrackEdgeCases'.
 */
class TrackDecoderIdentifiersTest {
  private static final String OVER_BOUND = "é".repeat(256); // characters, not bytes

  @Test
  void invalidIdentifierShapesArePerObjectErrors() {
    TrackBatch batch =
        decodeAll(
            "attributes",
            "{\"external_id\":42,\"first_name\":\"X\"}",
            "{\"user_alias\":{\"alias_name\":\"n\"},\"_update_existing_only\":false,\"first_name\":\"X\"}",
            "{\"user_alias\":{\"alias_name\":1,\"alias_label\":\"l\"},\"_update_existing_only\":false,\"first_name\":\"X\"}",
            "{\"user_alias\":\"n\",\"first_name\":\"X\"}",
            "{\"braze_id\":7,\"first_name\":\"X\"}",
            "{\"external_id\":\"ids-bad\",\"_update_existing_only\":\"yes\",\"first_name\":\"X\"}",
            "{\"external_id\":\"ids-ok\",\"first_name\":\"Y\"}");

    String badAlias = "'user_alias' must be an object with string 'alias_name' and 'alias_label'";
    assertThat(batch.errors())
        .containsExactly(
            new ObjectError("'external_id' must be a string", "attributes", 0),
            new ObjectError(badAlias, "attributes", 1),
            new ObjectError(badAlias, "attributes", 2),
            new ObjectError(badAlias, "attributes", 3),
            new ObjectError("'braze_id' must be a string", "attributes", 4),
            new ObjectError("'_update_existing_only' must be a boolean", "attributes", 5));
    assertThat(batch.processed()).containsExactlyEntriesOf(Map.of("attributes_processed", 1));
    assertThat(batch.changes()).as("only the valid object is applied, nothing for '42'").hasSize(1);
    ProfileChange valid = batch.changes().get(0);
    assertThat(valid.lookup()).isEqualTo(new UserLookup.ExternalId("ids-ok"));
    assertThat(((AttributesUpdate) valid.update()).standard()).containsEntry("first_name", "Y");
  }

  @Test
  void aliasNamesAndLabelsHoldUpTo255Characters() {
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"user_alias\":{\"alias_name\":\""
                + OVER_BOUND
                + "\",\"alias_label\":\"crm\"},\"_update_existing_only\":false}"),
        new ObjectError("'alias_name' must be at most 255 characters", "attributes", 0));
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\""
                + OVER_BOUND
                + "\"},\"_update_existing_only\":false}"),
        new ObjectError("'alias_label' must be at most 255 characters", "attributes", 0));
  }

  @Test
  void aPhoneUsedAsIdentifierHoldsUpTo255Characters() {
    assertNothingValid(
        decodeAll("attributes", "{\"phone\":\"" + "1".repeat(256) + "\",\"plan\":\"pro\"}"),
        new ObjectError("'phone' must be at most 255 characters", "attributes", 0));
  }
}
