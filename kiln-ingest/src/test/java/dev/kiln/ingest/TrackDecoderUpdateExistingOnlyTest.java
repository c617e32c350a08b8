package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.ALIAS;
import static dev.kiln.ingest.TrackDecoding.assertSingleError;
import static dev.kiln.ingest.TrackDecoding.changeOf;
import static dev.kiln.ingest.TrackDecoding.decodeAll;
import static dev.kiln.ingest.TrackDecoding.event;
import static dev.kiln.ingest.TrackDecoding.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import org.junit.jupiter.api.Test;

/**
 * Which objects default to {@code _update_existing_only} and what the flag makes of a change
 * (docs/braze-reference.md sections 2 to 5). The edge cases named below are those of
 * docs/braze-reference.md section 13.
 */
class TrackDecoderUpdateExistingOnlyTest {
  @Test
  void aliasAttributesDefaultToUpdateExistingOnly() {
    // edge case 4
    ProfileChange change = changeOf("attributes", "{" + ALIAS + ",\"first_name\":\"A\"}");

    assertThat(change.lookup()).isEqualTo(new UserLookup.Alias(new UserAlias("n", "l")));
    assertThat(change.createIfMissing()).isFalse();
  }

  @Test
  void aliasAttributesWithUpdateExistingOnlyFalseMayCreate() {
    assertThat(
            changeOf("attributes", "{" + ALIAS + ",\"_update_existing_only\":false}")
                .createIfMissing())
        .isTrue();
  }

  @Test
  void aliasAttributesWithUpdateExistingOnlyTrueDoNotCreate() {
    assertThat(
            changeOf("attributes", "{" + ALIAS + ",\"_update_existing_only\":true}")
                .createIfMissing())
        .isFalse();
  }

  @Test
  void aliasEventsNeverCreateEvenWithUpdateExistingOnlyFalse() {
    assertThat(changeOf("events", event(ALIAS)).createIfMissing()).isFalse();
    assertThat(
            changeOf("events", event(ALIAS + ",\"_update_existing_only\":false")).createIfMissing())
        .isFalse();
  }

  @Test
  void aliasPurchasesNeverCreateEvenWithUpdateExistingOnlyFalse() {
    assertThat(
            changeOf("purchases", purchase(ALIAS, ",\"_update_existing_only\":false"))
                .createIfMissing())
        .isFalse();
  }

  @Test
  void externalIdDefaultsToCreate() {
    // edge case 5
    assertThat(
            changeOf("attributes", "{\"external_id\":\"new1\",\"first_name\":\"A\"}")
                .createIfMissing())
        .isTrue();
    assertThat(changeOf("events", event("\"external_id\":\"new1\"")).createIfMissing()).isTrue();
    assertThat(changeOf("purchases", purchase("\"external_id\":\"new1\"", "")).createIfMissing())
        .isTrue();
  }

  @Test
  void externalIdWithUpdateExistingOnlyTrueDoesNotCreate() {
    assertThat(
            changeOf("attributes", "{\"external_id\":\"new1\",\"_update_existing_only\":true}")
                .createIfMissing())
        .isFalse();
    assertThat(
            changeOf("events", event("\"external_id\":\"new1\",\"_update_existing_only\":true"))
                .createIfMissing())
        .isFalse();
  }

  @Test
  void externalIdWithUpdateExistingOnlyFalseCreates() {
    assertThat(
            changeOf("attributes", "{\"external_id\":\"new1\",\"_update_existing_only\":false}")
                .createIfMissing())
        .isTrue();
  }

  @Test
  void emailIdentifierDefaultsToCreate() {
    // edge case 9
    assertThat(changeOf("attributes", "{\"email\":\"new@x.com\",\"foo\":1}").createIfMissing())
        .isTrue();
  }

  @Test
  void nonBooleanUpdateExistingOnlyIsAnError() {
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"_update_existing_only\":\"yes\"}"),
        "'_update_existing_only' must be a boolean",
        "attributes",
        0);
  }
}
