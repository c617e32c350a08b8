package dev.kiln.export;

import dev.kiln.core.OwnerOnlyFiles;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportJobStore;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.segment.Filter;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes one job's files, from its last checkpoint on. This thread reads members a file's worth at
 * a time, in key order; writing and compressing each file runs on a pool, several files at once,
 * and files are checkpointed in order as they finish. At most one more file than there are
 * compressing threads is in memory, so the heap stays bounded whatever the size of the segment.
 */
final class ExportRun {
  private final ExportJob job;
  private final Filter filter;
  private final SegmentQueries segments;
  private final SegmentResolver otherSegments;
  private final ExportSink sink;
  private final ExportJobStore jobs;
  private final LeaseKeeper lease;
  private final ExportSettings settings;

  ExportRun(
      ExportJob job,
      Filter filter,
      SegmentQueries segments,
      SegmentResolver otherSegments,
      ExportSink sink,
      ExportJobStore jobs,
      LeaseKeeper lease,
      ExportSettings settings) {
    this.job = job;
    this.filter = filter;
    this.segments = segments;
    this.otherSegments = otherSegments;
    this.sink = sink;
    this.jobs = jobs;
    this.lease = lease;
    this.settings = settings;
  }

  private record WrittenFile(int users, long lastMemberKey) {}

  void run() throws IOException, InterruptedException {
    OwnerOnlyFiles.createFolders(settings.workDir());
    deleteLeftovers();
    ExportJob.Progress progress = job.progress();
    ExecutorService compressors =
        Executors.newFixedThreadPool(
            settings.compressionThreads(),
            Thread.ofPlatform().name("export-file-", 0).daemon().factory());
    try {
      Deque<Future<WrittenFile>> inFlight = new ArrayDeque<>();
      long afterKey = progress.lastMemberKey();
      int nextFile = progress.filesWritten();
      boolean moreMembers = true;
      while (moreMembers || !inFlight.isEmpty()) {
        lease.checkHeld();
        while (moreMembers && inFlight.size() <= settings.compressionThreads()) {
          List<SegmentQueries.Member> page =
              segments.members(
                  filter, otherSegments, job.requestedAt(), afterKey, ExportFiles.USERS_PER_FILE);
          moreMembers = page.size() == ExportFiles.USERS_PER_FILE;
          if (page.isEmpty()) {
            break;
          }
          afterKey = page.getLast().key();
          int index = nextFile++;
          inFlight.add(compressors.submit(() -> writeFile(index, page)));
        }
        if (!inFlight.isEmpty()) {
          WrittenFile written = await(inFlight.removeFirst());
          progress = progress.plusFile(written.users(), written.lastMemberKey());
          if (!jobs.checkpoint(job.objectPrefix(), lease.ownerName(), progress, lease.until())) {
            lease.markLost();
          }
        }
      }
      lease.checkHeld();
      sink.complete(job, ExportFiles.names(job, progress.filesWritten()));
    } finally {
      compressors.shutdownNow();
      // A file still being stored must land before anyone deletes the job's files (it was
      // cancelled).
      compressors.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /**
   * Files a node that died while writing this job left half-written; only this job's holder writes
   * them.
   */
  private void deleteLeftovers() throws IOException {
    try (DirectoryStream<Path> parts =
        Files.newDirectoryStream(settings.workDir(), job.objectPrefix() + "-*.part")) {
      for (Path part : parts) {
        Files.deleteIfExists(part);
      }
    }
  }

  private WrittenFile writeFile(int index, List<SegmentQueries.Member> members) throws IOException {
    Path file =
        Files.createTempFile(settings.workDir(), job.objectPrefix() + "-" + index + "-", ".part");
    try {
      List<UserProfile> users = members.stream().map(SegmentQueries.Member::profile).toList();
      ExportFileWriter.write(job, index, users, file);
      sink.store(job, ExportFiles.name(job, index), file);
      return new WrittenFile(members.size(), members.getLast().key());
    } finally {
      Files.deleteIfExists(file); // the sink moved or copied it
    }
  }

  private static WrittenFile await(Future<WrittenFile> file)
      throws IOException, InterruptedException {
    try {
      return file.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case UncheckedIOException io -> throw io.getCause();
        case RuntimeException runtime -> throw runtime;
        case Error error -> throw error;
        default -> throw new IllegalStateException("writing an export file failed", e.getCause());
      }
    }
  }
}
