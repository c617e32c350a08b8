package dev.kiln.bench;

import dev.kiln.core.CheckResult;
import dev.kiln.core.auth.ApiKeyStore;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.ratelimit.RateLimiter;
import dev.kiln.core.storage.ProfileReader;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.core.storage.ProfileWriter;
import dev.kiln.core.storage.UserDirectory;
import java.util.Collections;

/**
 * The benchmark's ceiling: the real store for keys, reads and user management, but a write path
 * that stores nothing. A server over it runs everything /users/track does (HTTP, auth, JSON,
 * validation) except storage, so the ingest figure can be reported as a ratio to it. Requests are
 * counted against their rate limit by the real store too. Lives here, never in the server.
 */
final class ParseOnlyStorage extends ProfileStorage {
  private final ProfileStorage delegate;
  private final ProfileWriter discarding =
      changes -> Collections.nCopies(changes.size(), ChangeResult.UPDATED);

  ParseOnlyStorage(ProfileStorage delegate) {
    this.delegate = delegate;
  }

  @Override
  public void migrate() {
    delegate.migrate();
  }

  @Override
  public ApiKeyStore apiKeys() {
    return delegate.apiKeys();
  }

  @Override
  public ProfileWriter profileWriter() {
    return discarding;
  }

  @Override
  public ProfileReader profileReader() {
    return delegate.profileReader();
  }

  @Override
  public UserDirectory userDirectory() {
    return delegate.userDirectory();
  }

  @Override
  public RateLimiter rateLimiter() {
    return delegate.rateLimiter();
  }

  @Override
  public CheckResult check() {
    return delegate.check();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
