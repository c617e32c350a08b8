package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportJob.CallbackState;
import dev.kiln.core.export.ExportJob.Progress;
import dev.kiln.core.export.ExportJob.State;
import dev.kiln.core.export.ExportJobStore;
import dev.kiln.core.export.ExportJobStore.Work;
import dev.kiln.core.export.ExportSpec;
import dev.kiln.core.storage.ProfileStorage;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Contract: how a backend keeps segment export jobs and hands them to one worker at a time under a
 * lease, including when several nodes claim from one database at once.
 */
public abstract class ITExportJobStore<T extends ProfileStorage> extends ITStorage<T> {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final String FILTER =
      "{\"attribute\":\"country\",\"op\":\"equals\",\"value\":\"US\"}";
  private static final URI CALLBACK = URI.create("https://hooks.example.com/kiln?token=abc");

  protected ITExportJobStore(StorageHarness<T> harness) {
    super(harness);
  }

  private ExportJobStore jobs() {
    return storage.exportJobs();
  }

  /** A job requested {@code ageMillis} before NOW, with a callback to send. */
  private static ExportJob requested(String prefix, String segment, long ageMillis) {
    return ExportJob.requested(
        prefix,
        segment,
        FILTER,
        NOW.minusMillis(ageMillis),
        new ExportSpec(Set.of(), Set.of(), ExportFormat.ZIP, CALLBACK));
  }

  private ExportJob created(String prefix, String segment, long ageMillis) {
    ExportJob job = requested(prefix, segment, ageMillis);
    jobs().create(job);
    return job;
  }

  private ExportJob stored(String prefix) {
    return jobs()
        .find(prefix)
        .orElseThrow(() -> new AssertionError("job " + prefix + " is not stored"));
  }

  private Optional<ExportJob> claim(String worker, Instant now) {
    return jobs().claim(Work.FILES, worker, null, now, now.plus(LEASE));
  }

  private Optional<ExportJob> claimCallback(String worker, Instant now) {
    return claimCallback(worker, null, now);
  }

  private Optional<ExportJob> claimCallback(String worker, String handingOver, Instant now) {
    return jobs().claim(Work.CALLBACK, worker, handingOver, now, now.plus(LEASE));
  }

  @Test
  void createdJobsAreFoundWithEveryField() {
    ExportJob fresh =
        ExportJob.requested(
            "5f0c-1700000000",
            "seg-1",
            FILTER,
            NOW,
            new ExportSpec(Set.of(), Set.of(), ExportFormat.ZIP, null));
    ExportJob everything =
        new ExportJob(
            "9a3e-1700000001",
            "seg-2",
            "{\"and\":[]}",
            NOW.minusMillis(1),
            new ExportSpec(
                Set.of("external_id", "email", "custom_attributes"),
                Set.of("plan", "tier"),
                ExportFormat.GZIP,
                CALLBACK),
            State.FAILED,
            new Progress(3, 12_345L, 9_876_543_210L),
            "the bucket refused the upload",
            NOW.plusSeconds(90).plusMillis(7),
            CallbackState.FAILED,
            4);

    jobs().create(fresh);
    jobs().create(everything);

    assertThat(jobs().find(fresh.objectPrefix()))
        .as("a queued job with no callback")
        .contains(fresh);
    assertThat(jobs().find(everything.objectPrefix()))
        .as("a failed job with every field set")
        .contains(everything);
    assertThat(fresh.progress().lastMemberKey()).isEqualTo(Long.MIN_VALUE);
    assertThat(fresh.callback()).isEqualTo(CallbackState.NONE);
    assertThat(jobs().find("never-requested")).isEmpty();
  }

  @Test
  void secondUnfinishedJobOfTheSameSegmentIsAConflictUntilTheFirstIsWritten() {
    created("first", "seg-1", 1_000);
    created("other-segment", "seg-2", 0);

    assertThatThrownBy(() -> jobs().create(requested("second", "seg-1", 0)))
        .isInstanceOf(KilnException.class)
        .satisfies(e -> assertThat(((KilnException) e).code()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessageContaining("seg-1");
    assertThat(jobs().find("second")).as("the refused job").isEmpty();

    assertThat(claim("w1", NOW)).map(ExportJob::objectPrefix).contains("first");
    assertThatThrownBy(() -> jobs().create(requested("second", "seg-1", 0)))
        .as("a running export still writes its files")
        .isInstanceOf(KilnException.class)
        .satisfies(e -> assertThat(((KilnException) e).code()).isEqualTo(ErrorCode.CONFLICT));

    assertThat(jobs().finish("first", "w1", State.SUCCEEDED, null, NOW)).isTrue();
    jobs().create(requested("second", "seg-1", 0));
    assertThat(stored("second").state())
        .as("a new export once the first's files are written")
        .isEqualTo(State.QUEUED);
    assertThat(jobs().release("first", "w1"))
        .as("the lease stays with the writer after finish")
        .isTrue();
  }

  @Test
  void claimTakesTheOldestClaimableJobMarksItRunningAndSkipsLiveLeases() {
    ExportJob middle = created("middle", "seg-m", 2_000);
    ExportJob newest = created("newest", "seg-n", 1_000);
    ExportJob oldest = created("oldest", "seg-o", 3_000);

    assertThat(claim("w1", NOW)).as("first claim").contains(withState(oldest, State.RUNNING));
    assertThat(stored("oldest").state()).isEqualTo(State.RUNNING);
    assertThat(claim("w2", NOW.plusSeconds(1)))
        .as("second claim")
        .contains(withState(middle, State.RUNNING));
    assertThat(claim("w3", NOW.plusSeconds(2)))
        .as("third claim")
        .contains(withState(newest, State.RUNNING));
    assertThat(claim("w4", NOW.plus(LEASE).minusMillis(1)))
        .as("every job is held by a lease that has not run out")
        .isEmpty();
    assertThat(stored("oldest"))
        .as("a claim that found nothing changes nothing")
        .isEqualTo(withState(oldest, State.RUNNING));
  }

  @Test
  void expiredLeaseIsTakenOverAndTheOldWorkerChangesNothingAnyMore() {
    created("job", "seg-1", 0);
    assertThat(claim("old", NOW)).isPresent();
    Progress halfway = Progress.NONE.plusFile(1_000, 41L).plusFile(1_000, 87L);
    assertThat(jobs().checkpoint("job", "old", halfway, NOW.plus(LEASE))).isTrue();

    Instant afterLease = NOW.plus(LEASE).plusMillis(1);
    ExportJob takenOver =
        claim("new", afterLease)
            .orElseThrow(() -> new AssertionError("the expired lease was not taken over"));
    assertThat(takenOver.state()).as("a resumed job stays running").isEqualTo(State.RUNNING);
    assertThat(takenOver.progress())
        .as("the new worker resumes from the last checkpoint")
        .isEqualTo(halfway);

    Instant later = afterLease.plusSeconds(1);
    assertThat(jobs().checkpoint("job", "old", halfway.plusFile(1_000, 99L), later.plus(LEASE)))
        .as("old checkpoint")
        .isFalse();
    assertThat(jobs().finish("job", "old", State.FAILED, "stalled", later))
        .as("old finish")
        .isFalse();
    assertThat(jobs().callbackDone("job", "old", CallbackState.SENT))
        .as("old callbackDone")
        .isFalse();
    assertThat(jobs().renew("job", "old", later.plus(Duration.ofDays(1))))
        .as("old renew")
        .isFalse();
    assertThat(stored("job")).as("the job after the old worker's attempts").isEqualTo(takenOver);
    assertThat(claim("third", later)).as("the new worker's lease is live").isEmpty();

    assertThat(jobs().checkpoint("job", "new", halfway.plusFile(10, 100L), later.plus(LEASE)))
        .as("new checkpoint")
        .isTrue();
    assertThat(stored("job").progress()).isEqualTo(halfway.plusFile(10, 100L));
  }

  @Test
  void renewAndCheckpointExtendTheLease() {
    created("job", "seg-1", 0);
    assertThat(claim("w1", NOW)).isPresent();

    assertThat(jobs().renew("job", "w1", NOW.plus(LEASE.multipliedBy(2)))).isTrue();
    assertThat(claim("w2", NOW.plus(LEASE).plusSeconds(1)))
        .as("claim after the first lease, within the renewed one")
        .isEmpty();

    assertThat(
            jobs()
                .checkpoint(
                    "job", "w1", Progress.NONE.plusFile(5, 5L), NOW.plus(LEASE.multipliedBy(3))))
        .isTrue();
    assertThat(claim("w2", NOW.plus(LEASE.multipliedBy(2)).plusSeconds(1)))
        .as("claim within the checkpoint's lease")
        .isEmpty();

    assertThat(claim("w2", NOW.plus(LEASE.multipliedBy(3)).plusSeconds(1)))
        .as("claim after every extension ran out")
        .hasValueSatisfying(
            job -> assertThat(job.progress()).isEqualTo(Progress.NONE.plusFile(5, 5L)));
  }

  @Test
  void theWriterHandsTheCallbackToItsNodeAndOtherNodesTakeItOnlyOnceTheLeaseRanOut() {
    created("job", "seg-1", 0);
    assertThat(claimCallback("c1", NOW))
        .as("no callback is claimed while the files are being written")
        .isEmpty();
    assertThat(claim("w1", NOW)).isPresent();
    Instant finishedAt = NOW.plusSeconds(30);
    assertThat(jobs().finish("job", "w1", State.SUCCEEDED, null, finishedAt)).isTrue();
    assertThat(claim("w2", finishedAt.plus(LEASE)))
        .as("an ended job has no files to write")
        .isEmpty();
    assertThat(claimCallback("other-node", finishedAt)).as("w1 keeps the lease").isEmpty();
    assertThat(claimCallback("other-node", "w9", finishedAt))
        .as("handed over by another worker")
        .isEmpty();

    ExportJob forCallback =
        claimCallback("w1-callback", "w1", finishedAt)
            .orElseThrow(() -> new AssertionError("w1's node does not get its callback"));
    assertThat(forCallback.state()).isEqualTo(State.SUCCEEDED);
    assertThat(forCallback.finishedAt()).isEqualTo(finishedAt);
    assertThat(forCallback.callback()).isEqualTo(CallbackState.PENDING);
    assertThat(claimCallback("w1-callback-2", "w1", finishedAt))
        .as("its lease is w1-callback's now")
        .isEmpty();

    // The node dies before the callback is sent: another node takes it over once the lease ran out.
    assertThat(claimCallback("other-node", finishedAt.plus(LEASE).plusSeconds(1))).isPresent();
    assertThat(jobs().callbackDone("job", "w1-callback", CallbackState.SENT))
        .as("the old holder's callbackDone")
        .isFalse();
    assertThat(jobs().callbackDone("job", "other-node", CallbackState.SENT)).isTrue();
    assertThat(stored("job").callback()).isEqualTo(CallbackState.SENT);
    assertThat(jobs().renew("job", "other-node", NOW.plus(Duration.ofDays(1))))
        .as("renew after the lease was released")
        .isFalse();
    assertThat(claimCallback("c3", NOW.plus(Duration.ofDays(1))))
        .as("a sent callback is not claimed again")
        .isEmpty();
  }

  @Test
  void aFailedRunIsRetriedAfterItsTimeAndOtherJobsAreClaimedFirst() {
    created("failing", "seg-1", 2_000);
    created("other", "seg-2", 1_000);
    assertThat(claim("w1", NOW)).isPresent();
    Instant retryAt = NOW.plusSeconds(60);
    assertThat(jobs().retryLater("failing", "w1", "the store could not read the members", retryAt))
        .isTrue();

    ExportJob failing = stored("failing");
    assertThat(failing.attempts()).isEqualTo(1);
    assertThat(failing.error()).isEqualTo("the store could not read the members");
    assertThat(failing.state()).isEqualTo(State.RUNNING);
    assertThat(claim("w2", NOW))
        .as("the failing job waits; the other is claimed")
        .map(ExportJob::objectPrefix)
        .contains("other");
    assertThat(claim("w3", retryAt.minusMillis(1))).as("before its retry time").isEmpty();
    assertThat(claim("w3", retryAt))
        .as("at its retry time")
        .map(ExportJob::objectPrefix)
        .contains("failing");
    assertThat(jobs().retryLater("failing", "w1", "stale", retryAt))
        .as("the old holder's retryLater")
        .isFalse();
  }

  @Test
  void jobsTriedLeastAreClaimedFirst() {
    created("old-failing", "seg-1", 5_000);
    assertThat(claim("w1", NOW)).isPresent();
    assertThat(jobs().retryLater("old-failing", "w1", "down", NOW)).isTrue();
    created("newer", "seg-2", 1_000);

    assertThat(claim("w2", NOW)).map(ExportJob::objectPrefix).contains("newer");
    assertThat(claim("w2", NOW)).map(ExportJob::objectPrefix).contains("old-failing");
  }

  @Test
  void cancelStopsTheHoldersChangesButKeepsItsLeaseAndFreesTheSegment() {
    created("running", "seg-1", 2_000);
    created("queued", "seg-2", 1_000);
    assertThat(claim("w1", NOW)).isPresent();
    Instant cancelledAt = NOW.plusSeconds(5);

    assertThat(jobs().cancel("running", "cancelled by the client", cancelledAt)).isTrue();
    assertThat(jobs().cancel("queued", "cancelled by the client", cancelledAt)).isTrue();
    ExportJob cancelled = stored("running");
    assertThat(cancelled.state()).isEqualTo(State.CANCELLED);
    assertThat(cancelled.error()).isEqualTo("cancelled by the client");
    assertThat(cancelled.finishedAt()).isEqualTo(cancelledAt);

    assertThat(jobs().checkpoint("running", "w1", Progress.NONE.plusFile(1, 1L), NOW.plus(LEASE)))
        .as("checkpoint")
        .isFalse();
    assertThat(jobs().finish("running", "w1", State.SUCCEEDED, null, NOW)).as("finish").isFalse();
    assertThat(stored("running")).as("the holder changed nothing").isEqualTo(cancelled);
    assertThat(claimCallback("w1-callback", "w1", cancelledAt))
        .as("the holder still has the lease, and a cancelled job is not handed over")
        .map(ExportJob::objectPrefix)
        .contains("queued");
    assertThat(jobs().release("running", "w1")).isTrue();
    assertThat(claimCallback("c1", cancelledAt))
        .as("released: its callback goes")
        .map(ExportJob::objectPrefix)
        .contains("running");

    assertThat(jobs().cancel("running", "again", cancelledAt)).as("an ended job").isFalse();
    assertThat(jobs().cancel("never-requested", "x", cancelledAt)).isFalse();
    assertThat(claim("w2", NOW.plus(Duration.ofDays(1))))
        .as("cancelled jobs have no files to write")
        .isEmpty();
    jobs().create(requested("next", "seg-1", 0));
    assertThat(stored("next").state()).as("a new export of the segment").isEqualTo(State.QUEUED);
  }

  @Test
  void finishedJobsWhoseCallbackIsDoneAreNeverClaimedAgain() {
    created("sent", "seg-1", 3_000);
    created("callback-failed", "seg-2", 2_000);
    jobs()
        .create(
            ExportJob.requested(
                "no-callback",
                "seg-3",
                FILTER,
                NOW.minusMillis(1_000),
                new ExportSpec(Set.of(), Set.of(), ExportFormat.GZIP, null)));

    Map<String, CallbackState> outcomes = new LinkedHashMap<>();
    outcomes.put("sent", CallbackState.SENT);
    outcomes.put("callback-failed", CallbackState.FAILED);
    outcomes.put("no-callback", CallbackState.NONE);
    outcomes.forEach(
        (prefix, outcome) -> {
          assertThat(claim("w1", NOW)).map(ExportJob::objectPrefix).contains(prefix);
          assertThat(jobs().finish(prefix, "w1", State.SUCCEEDED, null, NOW)).isTrue();
          assertThat(jobs().release(prefix, "w1")).isTrue();
          if (outcome != CallbackState.NONE) {
            assertThat(claimCallback("c1", NOW)).map(ExportJob::objectPrefix).contains(prefix);
            assertThat(jobs().callbackDone(prefix, "c1", outcome)).isTrue();
          }
        });

    assertThat(claim("w2", NOW.plus(Duration.ofDays(365))))
        .as("claim a year later, every lease long run out")
        .isEmpty();
    assertThat(claimCallback("c2", NOW.plus(Duration.ofDays(365))))
        .as("claim a callback a year later")
        .isEmpty();
    outcomes.forEach(
        (prefix, outcome) ->
            assertThat(stored(prefix).callback()).as("callback of %s", prefix).isEqualTo(outcome));
  }

  @Test
  void concurrentClaimsFromSeveralNodesTakeEveryJobExactlyOnce() throws Exception {
    int jobCount = 20;
    int threads = 8;
    for (int i = 0; i < jobCount; i++) {
      created("job-" + i, "seg-" + i, jobCount - i);
    }

    List<List<String>> claimedByThread;
    try (Nodes<T> nodes = Nodes.open(storage, this::reopen, 3)) {
      claimedByThread =
          nodes.runTogether(
              threads,
              (node, thread) -> {
                String worker = "node-" + thread % 3 + "-thread-" + thread;
                List<String> claimed = new ArrayList<>();
                Optional<ExportJob> job =
                    node.exportJobs().claim(Work.FILES, worker, null, NOW, NOW.plus(LEASE));
                while (job.isPresent()) {
                  claimed.add(job.get().objectPrefix());
                  job = node.exportJobs().claim(Work.FILES, worker, null, NOW, NOW.plus(LEASE));
                }
                return claimed;
              });
    }

    Map<String, List<String>> workersByJob = new TreeMap<>();
    for (int thread = 0; thread < threads; thread++) {
      String worker = "node-" + thread % 3 + "-thread-" + thread;
      claimedByThread
          .get(thread)
          .forEach(job -> workersByJob.computeIfAbsent(job, j -> new ArrayList<>()).add(worker));
    }
    assertThat(
            workersByJob.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
        .as("jobs claimed by more than one worker")
        .isEmpty();
    assertThat(workersByJob.keySet())
        .as("jobs claimed")
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, jobCount).mapToObj(i -> "job-" + i).toList());
    workersByJob.forEach(
        (job, workers) -> {
          assertThat(stored(job).state()).as("state of %s", job).isEqualTo(State.RUNNING);
          assertThat(jobs().renew(job, workers.get(0), NOW.plus(LEASE)))
              .as("%s's lease is held by %s", job, workers)
              .isTrue();
        });
  }

  private static ExportJob withState(ExportJob job, State state) {
    return new ExportJob(
        job.objectPrefix(),
        job.segmentId(),
        job.filterJson(),
        job.requestedAt(),
        job.spec(),
        state,
        job.progress(),
        job.error(),
        job.finishedAt(),
        job.callback(),
        job.attempts());
  }
}
