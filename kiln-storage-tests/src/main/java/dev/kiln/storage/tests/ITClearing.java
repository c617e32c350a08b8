package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportSpec;
import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.core.track.ActivityUpdates;
import dev.kiln.segment.SegmentDefinition;
import dev.kiln.segment.SegmentStorage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Contract of the harness: {@link StorageHarness#clear()}, run before each test of the other
 * suites, leaves nothing of any role for the next test to meet.
 */
public abstract class ITClearing<T extends ProfileStorage & SegmentStorage> extends ITStorage<T> {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");
  private static final String FILTER =
      "{\"attribute\":\"country\",\"op\":\"equals\",\"value\":\"US\"}";

  protected ITClearing(StorageHarness<T> harness) {
    super(harness);
  }

  @Test
  void aClearedStoreHasNoKeyUserSegmentOrExport() throws Exception {
    UserLookup user = new UserLookup.ExternalId("user-1");
    storage
        .apiKeys()
        .create(
            ApiKey.create("ci", Set.of(Permission.USERS_TRACK), List.of(), NOW),
            ApiKeySecrets.hash("a"));
    assertThat(
            storage
                .profileWriter()
                .apply(
                    List.of(
                        new ProfileChange(
                            user,
                            true,
                            ActivityUpdates.event("opened", NOW),
                            List.of(new ActivityRecord.CustomEvent("opened", NOW, null, Map.of())),
                            null))))
        .containsExactly(ChangeResult.CREATED);
    storage
        .segmentDefinitions()
        .create(new SegmentDefinition("segment-1", "US", "", List.of(), FILTER, NOW, NOW, null));
    storage
        .exportJobs()
        .create(
            ExportJob.requested(
                "export-1",
                "segment-1",
                FILTER,
                NOW,
                new ExportSpec(Set.of(), Set.of(), ExportFormat.ZIP, null)));

    clear();

    assertThat(storage.apiKeys().list()).isEmpty();
    assertThat(storage.profileReader().find(user)).isEmpty();
    assertThat(storage.segmentDefinitions().find("segment-1")).isEmpty();
    assertThat(storage.exportJobs().find("export-1")).isEmpty();
  }
}
