package dev.kiln.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GroupCommitterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * Work that makes the commit wait for {@link Recorder#release}, so later work queues up behind
   * it.
   */
  private static final String HOLD = "hold";

  @Test
  void concurrentSubmissionsShareBatchesAndEachCallerGetsItsOwnResult() throws Exception {
    Recorder recorder = new Recorder();
    recorder.sleepPerBatch = Duration.ofMillis(5);
    try (GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", recorder, 64)) {
      Caller hold = Caller.start(committer, HOLD);
      awaitWaiting(List.of(hold));
      List<Caller> callers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        callers.add(Caller.start(committer, "item-" + i));
      }
      awaitWaiting(callers);
      recorder.release.countDown();

      assertThat(hold.outcome).succeedsWithin(WAIT).isEqualTo("result-" + HOLD);
      for (Caller caller : callers) {
        assertThat(caller.outcome).succeedsWithin(WAIT).isEqualTo("result-" + caller.work);
      }
      assertThat(recorder.batches).hasSizeLessThan(17);
      assertThat(recorder.batches.stream().mapToInt(List::size).sum()).isEqualTo(17);
      assertThat(recorder.committed).hasSize(17);
    }
  }

  @Test
  void oneBadItemFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
    Recorder recorder = new Recorder();
    try (GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", recorder, 64)) {
      Caller hold = Caller.start(committer, HOLD);
      awaitWaiting(List.of(hold));
      List<Caller> good = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        good.add(Caller.start(committer, "good-" + i));
      }
      Caller bad = Caller.start(committer, "bad");
      List<Caller> queued = new ArrayList<>(good);
      queued.add(bad);
      awaitWaiting(queued);
      recorder.release.countDown();

      for (Caller caller : good) {
        assertThat(caller.outcome).succeedsWithin(WAIT).isEqualTo("result-" + caller.work);
      }
      Throwable failure = failureOf(bad);
      assertThat(failure).isInstanceOf(KilnException.class);
      assertThat(((KilnException) failure).code()).isEqualTo(ErrorCode.INTERNAL);
      assertThat(failure.getCause())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("bad work: bad");
      assertThat(recorder.committed)
          .containsExactlyInAnyOrder(HOLD, "good-0", "good-1", "good-2", "good-3", "good-4");
      assertThat(recorder.attempts)
          .as("the bad item first failed in a batch it shared with good ones")
          .anySatisfy(batch -> assertThat(batch).contains("bad").hasSizeGreaterThan(1));
    }
  }

  @Test
  void plainRuntimeExceptionReachesTheCallerAsInternalWithTheOriginalAsCause() {
    IllegalStateException original = new IllegalStateException("disk on fire");
    GroupCommitter.BatchCommit<String, String> failing =
        batch -> {
          throw original;
        };
    try (GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", failing, 64)) {
      KilnException e = catchThrowableOfType(KilnException.class, () -> committer.submit("work"));

      assertThat(e).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
      assertThat(e.getCause()).isSameAs(original);
    }
  }

  @Test
  void checkedExceptionReachesTheCallerAsInternalWithTheOriginalAsCause() {
    Exception original = new java.io.IOException("no space left");
    GroupCommitter.BatchCommit<String, String> failing =
        batch -> {
          throw original;
        };
    try (GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", failing, 64)) {
      KilnException e = catchThrowableOfType(KilnException.class, () -> committer.submit("work"));

      assertThat(e).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
      assertThat(e.getCause()).isSameAs(original);
    }
  }

  @Test
  void kilnExceptionFromTheCommitPassesThroughUnchanged() {
    KilnException original = new KilnException(ErrorCode.CONFLICT, "external_id already taken");
    GroupCommitter.BatchCommit<String, String> failing =
        batch -> {
          throw original;
        };
    try (GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", failing, 64)) {
      assertThatThrownBy(() -> committer.submit("work")).isSameAs(original);
    }
  }

  @Test
  void committerKeepsWorkingAfterAFailedCommit() {
    Recorder recorder = new Recorder();
    try (GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", recorder, 64)) {
      assertThatThrownBy(() -> committer.submit("bad")).isInstanceOf(KilnException.class);

      assertThat(committer.submit("after")).isEqualTo("result-after");
    }
  }

  @Test
  void submitReturnsOnlyAfterItsBatchCommitted() {
    Recorder recorder = new Recorder();
    recorder.sleepPerBatch = Duration.ofMillis(50);
    try (GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", recorder, 64)) {
      for (int i = 0; i < 3; i++) {
        String work = "work-" + i;

        String result = committer.submit(work);

        assertThat(result).isEqualTo("result-" + work);
        assertThat(recorder.committed).contains(work);
      }
    }
  }

  @Test
  void closeCommitsEverythingAlreadyQueuedBeforeReturning() throws Exception {
    Recorder recorder = new Recorder();
    GroupCommitter<String, String> committer = new GroupCommitter<>("test-writer", recorder, 4);
    Caller hold = Caller.start(committer, HOLD);
    awaitWaiting(List.of(hold));
    List<Caller> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      queued.add(Caller.start(committer, "queued-" + i));
    }
    awaitWaiting(queued);

    CompletableFuture<Void> closed = new CompletableFuture<>();
    Thread closer =
        new Thread(
            () -> {
              committer.close();
              closed.complete(null);
            },
            "closer");
    closer.setDaemon(true);
    closer.start();
    awaitState(closer, Thread.State.WAITING); // in close(), waiting for the writer to drain
    KilnException late = catchThrowableOfType(KilnException.class, () -> committer.submit("late"));
    assertThat(closed).isNotDone();
    recorder.release.countDown();

    assertThat(closed).succeedsWithin(WAIT);
    assertThat(hold.outcome).isCompletedWithValue("result-" + HOLD);
    for (Caller caller : queued) {
      assertThat(caller.outcome).as(caller.work).isCompletedWithValue("result-" + caller.work);
    }
    assertThat(recorder.committed).hasSize(21).doesNotContain("late");
    assertThat(late).isNotNull();
    assertThat(late.code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void closeReturnsWhenNothingIsQueued() {
    GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", new Recorder(), 4);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(committer::close);

    assertThat(closed).succeedsWithin(WAIT);
  }

  @Test
  void submitAfterCloseIsUnavailable() {
    Recorder recorder = new Recorder();
    GroupCommitter<String, String> committer = new GroupCommitter<>("test-writer", recorder, 4);
    committer.close();

    KilnException e = catchThrowableOfType(KilnException.class, () -> committer.submit("late"));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(recorder.committed).doesNotContain("late");
  }

  @Test
  void batchesNeverExceedMaxBatchSize() throws Exception {
    Recorder recorder = new Recorder();
    try (GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", recorder, 3)) {
      Caller hold = Caller.start(committer, HOLD);
      awaitWaiting(List.of(hold));
      List<Caller> queued = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        queued.add(Caller.start(committer, "queued-" + i));
      }
      awaitWaiting(queued);
      recorder.release.countDown();

      for (Caller caller : queued) {
        assertThat(caller.outcome).succeedsWithin(WAIT);
      }
      assertThat(recorder.batches)
          .allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(3));
      assertThat(recorder.batches).anySatisfy(batch -> assertThat(batch).hasSize(3));
      assertThat(recorder.committed).hasSize(11);
    }
  }

  @Test
  void maxBatchSizeOfOneCommitsEachItemAlone() throws Exception {
    Recorder recorder = new Recorder();
    try (GroupCommitter<String, String> committer =
        new GroupCommitter<>("test-writer", recorder, 1)) {
      Caller hold = Caller.start(committer, HOLD);
      awaitWaiting(List.of(hold));
      List<Caller> queued = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        queued.add(Caller.start(committer, "queued-" + i));
      }
      awaitWaiting(queued);
      recorder.release.countDown();

      for (Caller caller : queued) {
        assertThat(caller.outcome).succeedsWithin(WAIT);
      }
      assertThat(recorder.batches).hasSize(6).allSatisfy(batch -> assertThat(batch).hasSize(1));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void constructorRejectsMaxBatchSizeBelowOne(int maxBatchSize) {
    assertThatThrownBy(
            () -> new GroupCommitter<String, String>("test-writer", new Recorder(), maxBatchSize))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Waits until every caller's thread is parked waiting for its result, i.e. its work is queued.
   */
  private static void awaitWaiting(List<Caller> callers) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (Caller caller : callers) {
      while (caller.thread.getState() != Thread.State.WAITING && !caller.outcome.isDone()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              caller.work + " never queued; thread state " + caller.thread.getState());
        }
        Thread.sleep(1);
      }
      assertThat(caller.outcome).as("%s finished before it was released", caller.work).isNotDone();
    }
  }

  private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (thread.getState() != state) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            thread.getName() + " never reached " + state + "; it is " + thread.getState());
      }
      Thread.sleep(1);
    }
  }

  private static Throwable failureOf(Caller caller) throws Exception {
    try {
      caller.outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError(caller.work + " succeeded but should have failed");
  }

  /**
   * Commits all or nothing, recording each batch; fails any batch holding work that starts with
   * "bad", and holds any batch containing {@link #HOLD} until released.
   */
  private static final class Recorder implements GroupCommitter.BatchCommit<String, String> {
    final List<List<String>> attempts = new CopyOnWriteArrayList<>();
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final Set<String> committed = ConcurrentHashMap.newKeySet();
    final CountDownLatch release = new CountDownLatch(1);
    volatile Duration sleepPerBatch = Duration.ZERO;

    @Override
    public List<String> commit(List<String> batch) throws InterruptedException {
      attempts.add(List.copyOf(batch));
      if (batch.contains(HOLD) && !release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("test never released the held batch");
      }
      Thread.sleep(sleepPerBatch);
      for (String work : batch) {
        if (work.startsWith("bad")) {
          throw new IllegalStateException("bad work: " + work);
        }
      }
      batches.add(List.copyOf(batch));
      committed.addAll(batch);
      return batch.stream().map(work -> "result-" + work).toList();
    }
  }

  /** A thread that submits one piece of work and records what it got back. */
  private record Caller(String work, Thread thread, CompletableFuture<String> outcome) {
    static Caller start(GroupCommitter<String, String> committer, String work) {
      CompletableFuture<String> outcome = new CompletableFuture<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  outcome.complete(committer.submit(work));
                } catch (Throwable t) {
                  outcome.completeExceptionally(t);
                }
              },
              "caller-" + work);
      thread.setDaemon(true);
      thread.start();
      return new Caller(work, thread, outcome);
    }
  }
}
